package io.routemq.broker;

import static io.routemq.broker.Mqtt.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File persistence: queued QoS 1 messages of offline sessions and retained messages survive a restart. */
class PersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void queuedAndRetainedMessagesSurviveARestart() throws Exception {
        int queued = 50;
        try (EmbeddedBroker first = EmbeddedBroker.builder().port(0).dataDir(dataDir).allowAnonymous(true).build()) {
            first.start();
            int port = first.tcpPort();
            // MQTT 5 persistent session, then MQTT 3.1.1 persistent session (clean session false)
            Mqtt5BlockingClient sub5 = Mqtt.v5(port).identifier("persistent-v5").buildBlocking();
            sub5.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            sub5.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub5.disconnect();
            Mqtt3BlockingClient sub3 = Mqtt.v3(port).identifier("persistent-v3").buildBlocking();
            sub3.connectWith().cleanSession(false).send();
            sub3.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub3.disconnect();

            Mqtt5BlockingClient pub = Mqtt.connect5(port);
            for (int i = 0; i < queued; i++) {
                pub.publishWith().topic("q/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(String.valueOf(i))).send();
            }
            pub.publishWith().topic("status/plant").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(utf8("running")).send();
            pub.disconnect();
        }
        // the data directory is locked while a broker runs; after close another may open it
        try (EmbeddedBroker second = EmbeddedBroker.builder().port(0).dataDir(dataDir).allowAnonymous(true).build()) {
            second.start();
            int port = second.tcpPort();

            Mqtt5BlockingClient sub5 = Mqtt.v5(port).identifier("persistent-v5").buildBlocking();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub5.publishes(MqttGlobalPublishFilter.ALL)) {
                var ack = sub5.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
                assertThat(ack.isSessionPresent()).isTrue();
                TreeSet<Integer> got = new TreeSet<>();
                while (got.size() < queued) {
                    Optional<Mqtt5Publish> p = publishes.receive(20, TimeUnit.SECONDS);
                    assertThat(p).as("received %d of %d queued messages", got.size(), queued).isPresent();
                    got.add(Integer.parseInt(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8)));
                }
                assertThat(got).hasSize(queued).first().isEqualTo(0);
            }
            sub5.disconnect();

            Mqtt3BlockingClient sub3 = Mqtt.v3(port).identifier("persistent-v3").buildBlocking();
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub3.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(sub3.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
                int n = 0;
                while (n < queued) {
                    assertThat(publishes.receive(20, TimeUnit.SECONDS)).as("MQTT 3.1.1 session, message %d", n).isPresent();
                    n++;
                }
            }
            sub3.disconnect();

            Mqtt5BlockingClient fresh = Mqtt.connect5(port);
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = fresh.publishes(MqttGlobalPublishFilter.ALL)) {
                fresh.subscribeWith().topicFilter("status/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5Publish retained = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
                assertThat(retained.isRetain()).isTrue();
                assertThat(retained.getPayloadAsBytes()).isEqualTo(utf8("running"));
            }
            fresh.disconnect();
            assertThat(second.stats().droppedMessages()).isZero();
        }
    }

    @Test
    void aDataDirectoryInUseIsAClearError() {
        try (EmbeddedBroker first = EmbeddedBroker.builder().port(0).dataDir(dataDir).allowAnonymous(true).build()) {
            first.start();
            EmbeddedBroker second = EmbeddedBroker.builder().port(0).dataDir(dataDir).allowAnonymous(true).build();
            assertThatThrownBy(second::start).isInstanceOf(BrokerConfigException.class)
                    .hasMessageContaining("broker.dataDir").hasMessageContaining("locked by another running broker");
            assertThat(second.isRunning()).isFalse();
            // the first one is unharmed
            Mqtt.connect5(first.tcpPort()).disconnect();
        }
    }
}
