package io.routemq.mqtt;

import io.routemq.core.Acknowledgement;
import io.routemq.core.Message;
import io.routemq.core.Publication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The received messages reach the sink's {@link InboundListener#tryAccept} on the thread that emits them (the
 * client's Netty event loop, or the thread that requested more), never through the client's application scheduler
 * (RxJava's computation threads): one thread hop less per message. Against a private Mosquitto, at QoS 0 and 1: each
 * topic's messages in order, each once, never more than {@code maxInFlight} unacknowledged at a time.
 */
class InboundThreadTest {
    @TempDir
    static Path tmp;

    @Test
    void messagesAreOfferedOnTheEmittingThreadNotTheApplicationScheduler() throws Exception {
        assumeTrue(TestSupport.mosquittoInstalled(), "mosquitto is not installed (/usr/sbin/mosquitto) - skipped");
        try (var mosq = new TestSupport.Mosquitto(tmp.resolve("mosq"), List.of("allow_anonymous true", "max_queued_messages 0", "max_inflight_messages 0"))) {
            for (int qos = 0; qos <= 1; qos++) run(mosq, qos);
        }
    }

    private static void run(TestSupport.Mosquitto mosq, int qos) throws Exception {
        int topics = 4;
        int perTopic = 400;
        int maxInFlight = 16;
        Set<String> offeredOn = ConcurrentHashMap.newKeySet();
        HandOnOrderTest.Recorder rec = new HandOnOrderTest.Recorder(false);
        InboundListener sink = new InboundListener() {
            @Override
            public void accept(Message message, Acknowledgement ack) {
                rec.take(message, ack);
            }

            @Override
            public boolean tryAccept(Message message, Acknowledgement ack) {
                Thread t = Thread.currentThread();
                offeredOn.add(t.isVirtual() ? "virtual" : t.getName().replaceAll("[0-9]+", "N"));
                rec.take(message, ack);
                return true;
            }
        };
        try (SessionManager sessions = new SessionManager(); SessionManager pubs = new SessionManager()) {
            MqttSession s = sessions.add(SessionConfig.builder(mosq.url()).clientId("inbound-sub-" + qos).maxInFlight(maxInFlight).build());
            s.subscribe(SubscriptionSpec.of("inbound/+", qos), sink);
            s.connect();
            s.awaitReady(Duration.ofSeconds(10));
            MqttSession p = pubs.add(SessionConfig.builder(mosq.url()).clientId("inbound-pub-" + qos).build());
            p.connect();
            p.awaitReady(Duration.ofSeconds(10));
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) {
                for (int t = 0; t < topics; t++) {
                    byte[] payload = ("t" + t + ":" + i).getBytes(StandardCharsets.UTF_8);
                    fs.add(p.publish(new Publication(null, "inbound/t" + t, payload, qos, false, null)));
                }
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            int total = topics * perTopic;
            await().atMost(Duration.ofSeconds(60)).until(() -> rec.acks.get() >= total);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) expected.add(i);
            assertThat(rec.seen).hasSize(topics);
            rec.seen.forEach((t, list) -> assertThat(list).as("QoS %d topic %s: each message once, in order", qos, t).isEqualTo(expected));
            assertThat(rec.maxOutstanding.get()).as("QoS %d: handed on and not acknowledged at once", qos).isBetween(1, maxInFlight);
            assertThat(offeredOn).as("QoS %d: the threads tryAccept ran on", qos)
                    .noneMatch(n -> n.startsWith("RxComputation"))
                    .anyMatch(n -> n.startsWith("com.hivemq.client.mqtt"));
        }
    }
}
