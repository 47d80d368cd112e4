package io.routemq.broker;

import static io.routemq.broker.Mqtt.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.routemq.broker.Mqtt.Run;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real clients (HiveMQ client v5/v3, Paho v3, mosquitto_pub/sub) over TCP and WebSocket against one broker. */
class BrokerClientsTest {

    static EmbeddedBroker broker;
    static int tcp;
    static int ws;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder().port(0).wsPort(0).inMemory().allowAnonymous(true).build();
        List<ListenerAddress> listeners = broker.start();
        tcp = broker.tcpPort();
        ws = broker.wsPort();
        assertThat(listeners).extracting(ListenerAddress::uri)
                .containsExactly("mqtt://127.0.0.1:" + tcp, "ws://127.0.0.1:" + ws + "/mqtt");
        assertThat(tcp).isPositive().isNotEqualTo(1883);
    }

    @AfterAll
    static void stop() {
        broker.close();
        assertThat(broker.isRunning()).isFalse();
    }

    private static void roundTrip5(Mqtt5BlockingClient sub, Mqtt5BlockingClient pub, String topic) throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("hello " + topic)).send();
            Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(p.getTopic().toString()).isEqualTo(topic);
            assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("hello " + topic);
        }
    }

    @Test
    void hivemqClientMqtt5OverTcp() throws Exception {
        Mqtt5BlockingClient sub = Mqtt.connect5(tcp);
        Mqtt5BlockingClient pub = Mqtt.connect5(tcp);
        roundTrip5(sub, pub, "t/v5/tcp");
        sub.disconnect();
        pub.disconnect();
    }

    @Test
    void hivemqClientMqtt311OverTcp() throws Exception {
        Mqtt3BlockingClient sub = Mqtt.connect3(tcp);
        Mqtt3BlockingClient pub = Mqtt.connect3(tcp);
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("t/v3/tcp").qos(MqttQos.AT_LEAST_ONCE).send();
            pub.publishWith().topic("t/v3/tcp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("v3")).send();
            assertThat(publishes.receive(10, TimeUnit.SECONDS)).hasValueSatisfying(
                    p -> assertThat(p.getPayloadAsBytes()).isEqualTo(utf8("v3")));
        }
        sub.disconnect();
        pub.disconnect();
    }

    @Test
    void hivemqClientOverWebSocket() throws Exception {
        Mqtt5BlockingClient sub = Mqtt.v5ws(ws, "/mqtt").buildBlocking();
        sub.connect();
        Mqtt5BlockingClient pub = Mqtt.v5ws(ws, "/mqtt").buildBlocking();
        pub.connect();
        roundTrip5(sub, pub, "t/v5/ws");

        Mqtt3BlockingClient sub3 = Mqtt.v3ws(ws, "/mqtt").buildBlocking();
        sub3.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub3.publishes(MqttGlobalPublishFilter.ALL)) {
            sub3.subscribeWith().topicFilter("t/v3/ws").qos(MqttQos.AT_LEAST_ONCE).send();
            // published over TCP, received over WebSocket
            Mqtt5BlockingClient tcpPub = Mqtt.connect5(tcp);
            tcpPub.publishWith().topic("t/v3/ws").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("cross")).send();
            assertThat(publishes.receive(10, TimeUnit.SECONDS)).isPresent();
            tcpPub.disconnect();
        }
        sub.disconnect();
        pub.disconnect();
        sub3.disconnect();
    }

    @Test
    void pahoV3OverTcpAndWebSocket() throws Exception {
        for (String uri : List.of("tcp://127.0.0.1:" + tcp, "ws://127.0.0.1:" + ws + "/mqtt")) {
            MqttClient paho = new MqttClient(uri, Mqtt.id("paho"), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            paho.connect(o);
            List<String> got = new CopyOnWriteArrayList<>();
            String topic = "t/paho/" + (uri.startsWith("ws") ? "ws" : "tcp");
            paho.subscribe(topic, 1, (IMqttMessageListener) (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            paho.publish(topic, utf8("from paho"), 1, false);
            await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("from paho"));
            paho.disconnect();
            paho.close();
        }
    }

    @Test
    void mosquittoCommandLineClients() throws Exception {
        assumeTrue(Mqtt.onPath("mosquitto_pub") && Mqtt.onPath("mosquitto_sub"),
                "mosquitto_pub/mosquitto_sub not installed (apt-get install mosquitto-clients) - skipped");
        String port = String.valueOf(tcp);
        // mosquitto_pub -> HiveMQ client (MQTT 5 and 3.1.1)
        Mqtt5BlockingClient sub = Mqtt.connect5(tcp);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("t/mosq/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (String version : List.of("mqttv5", "mqttv311")) {
                Run r = Mqtt.run(20, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", version, "-q", "1",
                        "-t", "t/mosq/" + version, "-m", "from mosquitto_pub");
                assertThat(r.exit()).as(r.err()).isZero();
                Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo("t/mosq/" + version);
            }
        }
        // retained message -> mosquitto_sub
        Run retained = Mqtt.run(20, "mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-r", "-q", "1",
                "-t", "t/mosq-retained", "-m", "kept");
        assertThat(retained.exit()).as(retained.err()).isZero();
        Run got = Mqtt.run(20, "mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5", "-t", "t/mosq-retained",
                "-C", "1", "-W", "10");
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.out().strip()).isEqualTo("kept");
        // live message -> mosquitto_sub (MQTT 3.1.1): publish until it has subscribed and received one
        ProcessBuilder pb = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv311",
                "-t", "t/mosq-live", "-q", "1", "-C", "1", "-W", "15");
        Process p = pb.start();
        Mqtt5BlockingClient pub = Mqtt.connect5(tcp);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (p.isAlive() && System.nanoTime() < deadline) {
            pub.publishWith().topic("t/mosq-live").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("live")).send();
            p.waitFor(200, TimeUnit.MILLISECONDS);
        }
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("live");
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    void sharedSubscriptionDeliversEachMessageOnceAcrossThreeSubscribers() throws Exception {
        int messages = 300;
        List<AtomicInteger> counts = new ArrayList<>();
        List<Mqtt5AsyncClient> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AtomicInteger n = new AtomicInteger();
            counts.add(n);
            Mqtt5AsyncClient c = Mqtt.v5(tcp).buildAsync();
            c.connect().get(10, TimeUnit.SECONDS);
            c.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE)
                    .callback(pub -> {
                        n.incrementAndGet();
                        sleep(2); // a worker doing a little work: HiveMQ prefers subscribers with free in-flight slots
                    }).send().get(10, TimeUnit.SECONDS);
            subs.add(c);
        }
        Mqtt5BlockingClient pub = Mqtt.connect5(tcp);
        for (int i = 0; i < messages; i++) {
            pub.publishWith().topic("jobs/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("job " + i)).send();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> counts.stream().mapToInt(AtomicInteger::get).sum() == messages);
        Thread.sleep(200); // nothing is delivered twice
        assertThat(counts.stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(messages);
        System.out.println("shared subscription distribution: " + counts);
        // HiveMQ CE hands the shared queue to whichever subscriber polls with free in-flight capacity, not round robin:
        // runs here gave [187, 84, 29], [7, 212, 81] and [0, 299, 1]. What the broker guarantees, and what is asserted,
        // is that the group receives every message exactly once; an even spread is asserted against Mosquitto in
        // routemq-mqtt (MosquittoTest: 100/100/100). See docs/broker.md.
        assertThat(counts).hasSize(3);
        pub.disconnect();
        for (Mqtt5AsyncClient c : subs) {
            c.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void willMessageIsDeliveredWhenTheClientDrops() throws Exception {
        Mqtt5BlockingClient watcher = Mqtt.connect5(tcp);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();

            // Paho v3: drop the connection without a DISCONNECT packet
            MqttAsyncClient paho = new MqttAsyncClient("tcp://127.0.0.1:" + tcp, Mqtt.id("dying"), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setWill("wills/paho", utf8("paho is gone"), 1, false);
            paho.connect(o).waitForCompletion(10_000);
            paho.disconnectForcibly(0, 1000, false);
            paho.close();
            Mqtt5Publish will = publishes.receive(15, TimeUnit.SECONDS).orElseThrow();
            assertThat(will.getTopic().toString()).isEqualTo("wills/paho");
            assertThat(will.getPayloadAsBytes()).isEqualTo(utf8("paho is gone"));

            // HiveMQ client, MQTT 5: disconnect with reason "with will message"
            Mqtt5BlockingClient c = Mqtt.v5(tcp).willPublish().topic("wills/v5").payload(utf8("v5 is gone"))
                    .qos(MqttQos.AT_LEAST_ONCE).applyWillPublish().buildBlocking();
            c.connect();
            c.disconnectWith().reasonCode(
                    com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            assertThat(publishes.receive(15, TimeUnit.SECONDS)).hasValueSatisfying(
                    p -> assertThat(p.getTopic().toString()).isEqualTo("wills/v5"));
        }
        watcher.disconnect();
    }

    @Test
    void keepAliveAboveTheMaximumIsLoweredInConnack() {
        Mqtt5BlockingClient c = Mqtt.v5(tcp).buildBlocking();
        Mqtt5ConnAck ack = c.connectWith().keepAlive(600).send();
        assertThat(ack.getServerKeepAlive()).hasValue(60);
        c.disconnect();
        Mqtt5BlockingClient none = Mqtt.v5(tcp).buildBlocking();
        Mqtt5ConnAck ack0 = none.connectWith().keepAlive(0).send();
        assertThat(ack0.getServerKeepAlive()).hasValue(60);
        none.disconnect();
        Mqtt5BlockingClient low = Mqtt.v5(tcp).buildBlocking();
        Mqtt5ConnAck ack30 = low.connectWith().keepAlive(30).send();
        assertThat(ack30.getServerKeepAlive()).isEmpty();
        low.disconnect();
    }

    @Test
    void publishingToDollarTopicDisconnectsTheClient() throws Exception {
        // HiveMQ CE closes the connection of a client that publishes to a topic starting with '$' (documented).
        Mqtt5AsyncClient c = Mqtt.v5(tcp).buildAsync();
        c.connect().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> c.publishWith().topic("$SYS/test").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("x"))
                .send().get(10, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !c.getState().isConnected());
    }

    @Test
    void statsCountConnections() {
        Mqtt5BlockingClient c = Mqtt.connect5(tcp);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.stats().connections() >= 1);
        c.disconnect();
        assertThat(broker.stats().droppedMessages()).isZero();
    }

    @Test
    void hivemqLoggersAreQuietUnlessConfigured() {
        // logback-test.xml configures io.routemq and the root only
        var persistence = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.hivemq.persistence");
        assertThat(persistence.getEffectiveLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        var server = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.hivemq.HiveMQServer");
        assertThat(server.getEffectiveLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        // the MQTT client's loggers are left alone
        var client = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.hivemq.client.internal");
        assertThat(client.getLevel()).isNull();
    }

    @Test
    void readyLineNamesEachListener() {
        assertThat(broker.readyLine()).startsWith("RouteMQ broker ready: mqtt://127.0.0.1:" + tcp + " ws://127.0.0.1:" + ws
                + "/mqtt").contains("in-memory");
    }
}
