package io.routemq.broker;

import static io.routemq.broker.Mqtt.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.routemq.broker.BrokerConfig.AclRule;
import io.routemq.broker.BrokerConfig.Action;
import io.routemq.broker.Mqtt.Run;
import io.routemq.broker.internal.PasswordFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication (config users, password file, mosquitto_passwd file) and ACL with real clients. */
class AuthAclTest {

    @TempDir
    static Path dir;
    static EmbeddedBroker broker;
    static int tcp;
    static Path passwordFile;
    static boolean mosquittoPasswd;

    @BeforeAll
    static void start() throws Exception {
        passwordFile = dir.resolve("passwd");
        PasswordFile.update(passwordFile, "bob", Passwords.hash("bob-pw".toCharArray(), 1000));
        mosquittoPasswd = Mqtt.onPath("mosquitto_passwd");
        if (mosquittoPasswd) {
            Run r = Mqtt.run(20, "mosquitto_passwd", "-b", passwordFile.toString(), "carol", "carol-pw");
            assertThat(r.exit()).as(r.err()).isZero();
        }
        broker = EmbeddedBroker.builder().port(0).inMemory()
                .user("alice", "alice-pw")
                .passwordFile(passwordFile)
                .configure(b -> b
                        .aclRule(AclRule.allow("public/#"))
                        .aclRule(AclRule.deny("public/secret/#"))
                        .aclRule(AclRule.allow("devices/%c/up", Action.PUBLISH))
                        .aclRule(AclRule.allow("devices/%c/down", Action.SUBSCRIBE))
                        .aclRule(AclRule.allow("users/%u/#"))
                        .aclRule(AclRule.allow("devices/+/up", Action.SUBSCRIBE).forUser("alice"))
                        .aclRule(AclRule.allow("wills/%c", Action.PUBLISH)))
                .build();
        broker.start();
        tcp = broker.tcpPort();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static Mqtt5BlockingClient login5(String user, String password, String clientId) {
        Mqtt5BlockingClient c = Mqtt.v5(tcp).identifier(clientId).buildBlocking();
        c.connectWith().simpleAuth().username(user).password(utf8(password)).applySimpleAuth().send();
        return c;
    }

    static Mqtt3BlockingClient login3(String user, String password, String clientId) {
        Mqtt3BlockingClient c = Mqtt.v3(tcp).identifier(clientId).buildBlocking();
        c.connectWith().simpleAuth().username(user).password(utf8(password)).applySimpleAuth().send();
        return c;
    }

    @Test
    void goodCredentialsAreAccepted() {
        login5("alice", "alice-pw", Mqtt.id("a")).disconnect();          // config user, plain
        login5("bob", "bob-pw", Mqtt.id("b")).disconnect();              // password file, $pbkdf2-sha256$
        login3("bob", "bob-pw", Mqtt.id("b")).disconnect();
        login5("bob", "bob-pw", Mqtt.id("b")).disconnect();              // second login: verification cache
        if (mosquittoPasswd) {
            login5("carol", "carol-pw", Mqtt.id("c")).disconnect();      // mosquitto_passwd $7$ hash
        }
    }

    @Test
    void badCredentialsAndAnonymousAreRefused() {
        long before = broker.stats().failedLogins();
        assertThatThrownBy(() -> login5("bob", "wrong", Mqtt.id("b")))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(() -> login5("nobody", "x", Mqtt.id("n")))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(() -> login3("alice", "wrong", Mqtt.id("a")))
                .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(e.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(() -> Mqtt.connect5(tcp))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        assertThatThrownBy(() -> Mqtt.connect3(tcp))
                .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(e.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
        assertThat(broker.stats().failedLogins() - before).isEqualTo(5);
    }

    @Test
    void passwordFileChangesApplyWithoutRestart() throws Exception {
        PasswordFile.update(passwordFile, "dave", Passwords.hash("dave-pw".toCharArray(), 1000));
        login5("dave", "dave-pw", Mqtt.id("d")).disconnect();
        PasswordFile.update(passwordFile, "dave", null);
        assertThatThrownBy(() -> login5("dave", "dave-pw", Mqtt.id("d"))).isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void mosquittoClientsWithCredentials() throws Exception {
        assumeTrue(Mqtt.onPath("mosquitto_pub"), "mosquitto_pub not installed (apt-get install mosquitto-clients) - skipped");
        String port = String.valueOf(tcp);
        Run ok = Mqtt.run(20, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "bob", "-P", "bob-pw",
                "-t", "public/hello", "-m", "hi");
        assertThat(ok.exit()).as(ok.err()).isZero();
        Run bad = Mqtt.run(20, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-u", "bob", "-P", "nope",
                "-t", "public/hello", "-m", "hi");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).containsIgnoringCase("bad user name or password");
    }

    @Test
    void aclRefusesPublishWithReasonCodeAndDropsIt() throws Exception {
        Mqtt5BlockingClient admin = login5("alice", "alice-pw", Mqtt.id("admin"));
        Mqtt5BlockingClient device = login5("bob", "bob-pw", "sensor-1");
        long denied = broker.stats().deniedPublishes();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = admin.publishes(MqttGlobalPublishFilter.ALL)) {
            admin.subscribeWith().topicFilter("devices/+/up").qos(MqttQos.AT_LEAST_ONCE).send();

            // not its own device: PUBACK 0x87 Not authorized, dropped, the client stays connected
            assertThat(pubAckCode(device, "devices/sensor-2/up")).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(Mqtt5PubAckReasonCode.NOT_AUTHORIZED.getCode()).isEqualTo(0x87);
            assertThat(device.getState().isConnected()).isTrue();
            // its own device: delivered
            assertThat(pubAckCode(device, "devices/sensor-1/up")).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            // (0x10 No matching subscribers is a success code too)
            Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.getTopic().toString()).isEqualTo("devices/sensor-1/up");
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
        // deny wins over the allow of public/#
        assertThat(pubAckCode(device, "public/secret/x")).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(pubAckCode(device, "public/open").isError()).isFalse();
        // %u
        assertThat(pubAckCode(device, "users/bob/x").isError()).isFalse();
        assertThat(pubAckCode(device, "users/alice/x")).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertThat(broker.stats().deniedPublishes() - denied).isEqualTo(3);
        admin.disconnect();
        device.disconnect();
    }

    private static Mqtt5PubAckReasonCode pubAckCode(Mqtt5BlockingClient c, String topic) {
        try {
            Mqtt5PublishResult r = c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("x")).send();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    @Test
    void aclRefusedPublishOfMqtt311ClientIsDroppedWithoutDisconnect() throws Exception {
        Mqtt5BlockingClient admin = login5("alice", "alice-pw", Mqtt.id("admin"));
        Mqtt3BlockingClient device = login3("bob", "bob-pw", "sensor-3");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = admin.publishes(MqttGlobalPublishFilter.ALL)) {
            admin.subscribeWith().topicFilter("devices/+/up").qos(MqttQos.AT_LEAST_ONCE).send();
            device.publishWith().topic("devices/sensor-4/up").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("no")).send();
            device.publishWith().topic("devices/sensor-3/up").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("yes")).send();
            Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.getTopic().toString()).isEqualTo("devices/sensor-3/up");
            assertThat(device.getState().isConnected()).isTrue();
        }
        admin.disconnect();
        device.disconnect();
    }

    @Test
    void aclRefusesSubscriptionWithSubackFailureCodes() {
        long denied = broker.stats().deniedSubscriptions();
        Mqtt5BlockingClient v5 = login5("bob", "bob-pw", "sensor-5");
        List<Mqtt5SubAckReasonCode> codes = subAckCodes(v5, "devices/sensor-5/down", "devices/sensor-6/down",
                "$share/g/devices/sensor-5/down", "public/#", "public/open/+", "public/secret/+");
        assertThat(codes).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.NOT_AUTHORIZED,
                Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                Mqtt5SubAckReasonCode.GRANTED_QOS_1,  // overlaps the denied public/secret/#: accepted, deliveries filtered
                Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                Mqtt5SubAckReasonCode.NOT_AUTHORIZED); // covered by the deny rule
        assertThat(Mqtt5SubAckReasonCode.NOT_AUTHORIZED.getCode()).isEqualTo(0x87);
        // all refused: the client sees an exception carrying the codes
        assertThatThrownBy(() -> v5.subscribeWith().topicFilter("devices/other/down").qos(MqttQos.AT_LEAST_ONCE).send())
                .isInstanceOfSatisfying(Mqtt5SubAckException.class, e -> assertThat(e.getMqttMessage().getReasonCodes())
                        .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
        v5.disconnect();

        Mqtt3BlockingClient v3 = login3("bob", "bob-pw", "sensor-7");
        // the HiveMQ client throws when any code is a failure; the exception carries the SUBACK
        assertThatThrownBy(() -> v3.subscribeWith()
                .addSubscription().topicFilter("devices/sensor-7/down").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter("devices/sensor-8/down").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .send()).isInstanceOfSatisfying(Mqtt3SubAckException.class, e -> assertThat(e.getMqttMessage().getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1,
                Mqtt3SubAckReturnCode.FAILURE));
        assertThat(Mqtt3SubAckReturnCode.FAILURE.getCode()).isEqualTo(0x80);
        assertThatThrownBy(() -> v3.subscribeWith().topicFilter("public/secret/#").qos(MqttQos.AT_LEAST_ONCE).send())
                .isInstanceOfSatisfying(Mqtt3SubAckException.class, e -> assertThat(e.getMqttMessage().getReturnCodes())
                        .containsExactly(Mqtt3SubAckReturnCode.FAILURE));
        v3.disconnect();
        assertThat(broker.stats().deniedSubscriptions() - denied).isEqualTo(5);
    }

    private static List<Mqtt5SubAckReasonCode> subAckCodes(Mqtt5BlockingClient c, String... filters) {
        var b = c.subscribeWith().addSubscription().topicFilter(filters[0]).qos(MqttQos.AT_LEAST_ONCE).applySubscription();
        for (int i = 1; i < filters.length; i++) {
            b = b.addSubscription().topicFilter(filters[i]).qos(MqttQos.AT_LEAST_ONCE).applySubscription();
        }
        try {
            Mqtt5SubAck ack = b.send();
            return ack.getReasonCodes();
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes();
        }
    }

    @Test
    void willToAForbiddenTopicIsRefusedAtConnect() throws Exception {
        Mqtt5BlockingClient ok = Mqtt.v5(tcp).identifier("sensor-9").willPublish().topic("wills/sensor-9")
                .payload(utf8("gone")).applyWillPublish().buildBlocking();
        ok.connectWith().simpleAuth().username("bob").password(utf8("bob-pw")).applySimpleAuth().send();
        ok.disconnect();
        Mqtt5BlockingClient bad = Mqtt.v5(tcp).identifier("sensor-10").willPublish().topic("wills/other")
                .payload(utf8("gone")).applyWillPublish().buildBlocking();
        assertThatThrownBy(() -> bad.connectWith().simpleAuth().username("bob").password(utf8("bob-pw")).applySimpleAuth().send())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void passwordFileEntriesAreHashed() throws Exception {
        String text = Files.readString(passwordFile);
        assertThat(text).contains("bob:$pbkdf2-sha256$1000$").doesNotContain("bob-pw");
    }
}
