package io.routemq.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.routemq.core.Outcome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker (HiveMQ CE, with a test extension that records every CONNECT it receives) restarts under a connected
 * session: the CONNECT of the reconnect must carry the same options as the first one, credentials included. (The
 * password's bytes are not compared: the broker may erase them once the client is authenticated.)
 */
class ReconnectConnectPacketTest {
    @TempDir
    Path tmp;

    /** What a CONNECT carried. */
    record Seen(String clientId, int keepAlive, boolean cleanStart, long sessionExpiry, int receiveMaximum, String user, boolean password) {
        @Override
        public String toString() {
            return clientId + " (keepAlive " + keepAlive + "s, cleanStart " + cleanStart + ", sessionExpiry " + sessionExpiry
                    + "s, receiveMaximum " + receiveMaximum + ", user " + user + ", password " + (password ? "sent" : "none") + ")";
        }

        static Seen of(ConnectPacket p) {
            return new Seen(p.getClientId(), p.getKeepAlive(), p.getCleanStart(), p.getSessionExpiryInterval(), p.getReceiveMaximum(),
                    p.getUserName().orElse(null), p.getPassword().isPresent());
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void theReconnectSendsTheSameConnectAsTheFirstConnect(ProtocolVersion version) throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        String clientId = "connect-options-" + version.name().toLowerCase();
        try (TestSupport.HiveMq broker = new TestSupport.HiveMq(tmp.resolve("hivemq")).extension(() -> recorder(seen)).start();
             SessionManager sessions = new SessionManager()) {
            MqttSession s = sessions.add(SessionConfig.builder(broker.url()).clientId(clientId).protocolVersion(version)
                    .credentials("bob", "pw-1234").keepAlive(Duration.ofSeconds(23)).persistentSession(Duration.ofSeconds(777))
                    .receiveMaximum(4321).reconnect(ReconnectPolicy.of(Duration.ofMillis(200), Duration.ofSeconds(1))).build());
            s.subscribe(SubscriptionSpec.of("options/#", 1), (m, ack) -> ack.complete(Outcome.HANDLED));
            s.connect();
            s.awaitReady(Duration.ofSeconds(20));
            broker.stop();
            broker.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().filter(c -> c.clientId().equals(clientId)).count() >= 2
                    && s.status().state() == SessionState.READY);
            List<Seen> mine = seen.stream().filter(c -> c.clientId().equals(clientId)).toList();
            System.out.printf("%s: CONNECTs seen by the broker: %s%n", version, mine);
            assertThat(mine.get(0).user()).isEqualTo("bob");
            assertThat(mine.get(0).password()).isTrue();
            assertThat(mine.get(0).keepAlive()).isEqualTo(23);
            assertThat(mine.get(0).cleanStart()).isFalse();
            if (version == ProtocolVersion.MQTT_5) {
                assertThat(mine.get(0).sessionExpiry()).isEqualTo(777);
                assertThat(mine.get(0).receiveMaximum()).isEqualTo(4321);
            }
            assertThat(mine).allSatisfy(c -> assertThat(c).isEqualTo(mine.get(0)));
        }
    }

    private static EmbeddedExtension recorder(List<Seen> seen) {
        return EmbeddedExtension.builder().withId("connect-recorder").withName("records CONNECT packets").withVersion("1")
                .withPriority(0).withStartPriority(0).withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                        Services.eventRegistry().setClientLifecycleEventListener(input -> new ClientLifecycleEventListener() {
                            @Override
                            public void onMqttConnectionStart(ConnectionStartInput i) {
                                seen.add(Seen.of(i.getConnectPacket()));
                            }

                            @Override
                            public void onAuthenticationSuccessful(AuthenticationSuccessfulInput i) {
                            }

                            @Override
                            public void onDisconnect(DisconnectEventInput i) {
                            }
                        });
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
                    }
                }).build();
    }
}
