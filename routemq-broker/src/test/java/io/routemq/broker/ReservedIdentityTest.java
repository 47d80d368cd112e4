package io.routemq.broker;

import static io.routemq.broker.Mqtt.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.routemq.broker.BrokerConfig.AclRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The identity of the application that embeds the broker (the gateway's session) is reserved: a broker user limited
 * by ACL to {@code gw/#} cannot connect with the gateway's client id (or a worker id {@code -N}) and take over its
 * session, and cannot log in as the gateway's user.
 */
class ReservedIdentityTest {

    private static final String GW_USER = "routemq-gateway";
    private static final String GW_ID = "routemq-gateway";
    private static final String GW_PASSWORD = "0123456789abcdef0123456789abcdef";

    @Test
    void anAclLimitedUserCannotTakeOverTheGatewaysSessionAndTheGatewayKeepsReceiving() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.routemq.broker.auth");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().allowAnonymous(true)
                .user("eve", "eve-pw")
                .configure(c -> c.internalClient(GW_USER, GW_PASSWORD, GW_ID)
                        // no rule names the gateway's user: the internal identity is not subject to the ACL
                        .aclRule(AclRule.allow("gw/#").forUser("eve")))
                .build()) {
            broker.start();
            int port = broker.tcpPort();
            Mqtt5BlockingClient gateway = Mqtt.v5(port).identifier(GW_ID).buildBlocking();
            gateway.connectWith().cleanStart(false).sessionExpiryInterval(3600)
                    .simpleAuth().username(GW_USER).password(utf8(GW_PASSWORD)).applySimpleAuth().send();
            Mqtt5BlockingClient worker = Mqtt.v5(port).identifier(GW_ID + "-2").buildBlocking();
            worker.connectWith().simpleAuth().username(GW_USER).password(utf8(GW_PASSWORD)).applySimpleAuth().send();
            worker.disconnect();
            try (Mqtt5BlockingClient.Mqtt5Publishes received = gateway.publishes(MqttGlobalPublishFilter.ALL)) {
                gateway.subscribeWith().topicFilter("gw/#").qos(MqttQos.AT_LEAST_ONCE).send();
                long failedBefore = broker.stats().failedLogins();

                // eve, allowed gw/#, tries the gateway's client id and its worker ids, over MQTT 5 and 3.1.1
                for (String id : List.of(GW_ID, GW_ID + "-2", GW_ID + "-17")) {
                    Mqtt5BlockingClient eve = Mqtt.v5(port).identifier(id).buildBlocking();
                    assertThatThrownBy(() -> eve.connectWith().cleanStart(false).simpleAuth().username("eve")
                            .password(utf8("eve-pw")).applySimpleAuth().send())
                            .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                                    e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
                }
                Mqtt3BlockingClient eve3 = Mqtt.v3(port).identifier(GW_ID).buildBlocking();
                assertThatThrownBy(() -> eve3.connectWith().cleanSession(false).simpleAuth().username("eve")
                        .password(utf8("eve-pw")).applySimpleAuth().send())
                        .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(
                                e.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED));
                // anonymous access is on, but not for the reserved id
                Mqtt5BlockingClient anonymous = Mqtt.v5(port).identifier(GW_ID).buildBlocking();
                assertThatThrownBy(anonymous::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
                // the gateway's user with a guessed password, with its id or another one
                for (String id : List.of(GW_ID, "other")) {
                    Mqtt5BlockingClient guess = Mqtt.v5(port).identifier(id).buildBlocking();
                    assertThatThrownBy(() -> guess.connectWith().simpleAuth().username(GW_USER).password(utf8("guess"))
                            .applySimpleAuth().send()).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
                }
                // an id that only starts like the reserved one is an ordinary id
                Mqtt5BlockingClient lookalike = Mqtt.v5(port).identifier(GW_ID + "-eve").buildBlocking();
                lookalike.connectWith().simpleAuth().username("eve").password(utf8("eve-pw")).applySimpleAuth().send();
                lookalike.disconnect();
                assertThat(broker.stats().failedLogins() - failedBefore).isEqualTo(7);

                // the gateway kept its session and receives everything eve publishes
                assertThat(gateway.getState().isConnected()).isTrue();
                Mqtt5BlockingClient publisher = Mqtt.v5(port).identifier("eve-pub").buildBlocking();
                publisher.connectWith().simpleAuth().username("eve").password(utf8("eve-pw")).applySimpleAuth().send();
                for (int i = 0; i < 5; i++) {
                    publisher.publishWith().topic("gw/m").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send();
                }
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    Optional<Mqtt5Publish> p = received.receive(10, TimeUnit.SECONDS);
                    p.ifPresent(m -> got.add(new String(m.getPayloadAsBytes())));
                }
                System.out.printf("gateway received %d of 5 after %d refused takeover attempts%n", got.size(),
                        broker.stats().failedLogins() - failedBefore);
                assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4");
                publisher.disconnect();
            }
            gateway.disconnect();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("Refused client 'routemq-gateway'").contains("user 'eve'")
                .contains("reserved for the gateway's own session"));
        assertThat(appender.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(GW_PASSWORD));
    }

    @Test
    void aConfigUserCannotTakeTheReservedName() {
        assertThatThrownBy(() -> EmbeddedBroker.builder().port(0).inMemory().user(GW_USER, "x")
                .configure(c -> c.internalClient(GW_USER, GW_PASSWORD, GW_ID)).build())
                .isInstanceOf(BrokerConfigException.class)
                .hasMessageContaining("broker.users: user name 'routemq-gateway' is reserved");
    }

    @Test
    void reservedIdsAreTheIdAndItsNumberedWorkers() {
        BrokerConfig.Internal internal = new BrokerConfig.Internal(GW_USER, GW_PASSWORD, GW_ID);
        assertThat(internal.reserves(GW_ID)).isTrue();
        assertThat(internal.reserves(GW_ID + "-2")).isTrue();
        assertThat(internal.reserves(GW_ID + "-120")).isTrue();
        assertThat(internal.reserves(GW_ID + "-")).isFalse();
        assertThat(internal.reserves(GW_ID + "-2a")).isFalse();
        assertThat(internal.reserves(GW_ID + "2")).isFalse();
        assertThat(internal.reserves("x" + GW_ID)).isFalse();
        assertThat(internal.toString()).doesNotContain(GW_PASSWORD);
    }
}
