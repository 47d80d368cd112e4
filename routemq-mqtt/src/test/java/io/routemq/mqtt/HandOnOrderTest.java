package io.routemq.mqtt;

import io.routemq.core.Acknowledgement;
import io.routemq.core.Message;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The connection hands each message on from the client's thread when the sink takes it at once
 * ({@link InboundListener#tryAccept}), else through its reading thread ({@link InboundListener#accept}), and requests more
 * from the client in batches. Against a private Mosquitto, with a sink that refuses half the offers at random: every
 * message is handed on once, each topic's in arrival order, never more than {@code maxInFlight} unacknowledged at a
 * time, and each is acknowledged once.
 */
class HandOnOrderTest {
    @TempDir
    static Path tmp;

    @Test
    void inlineAndQueuedHandOnKeepTopicOrderAndTheInFlightBound() throws Exception {
        assumeTrue(TestSupport.mosquittoInstalled(), "mosquitto is not installed (/usr/sbin/mosquitto) - skipped");
        int topics = 8;
        int perTopic = 600;
        int maxInFlight = 8;
        Recorder rec = new Recorder(true);
        AtomicInteger inline = new AtomicInteger();
        AtomicInteger queued = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        InboundListener sink = new InboundListener() {
            @Override
            public void accept(Message message, Acknowledgement ack) {
                queued.incrementAndGet();
                rec.take(message, ack);
            }

            @Override
            public boolean tryAccept(Message message, Acknowledgement ack) {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    refused.incrementAndGet();
                    return false;
                }
                inline.incrementAndGet();
                rec.take(message, ack);
                return true;
            }
        };
        try (var mosq = new TestSupport.Mosquitto(tmp.resolve("mosq"), List.of("allow_anonymous true", "max_queued_messages 0", "max_inflight_messages 0"));
             SessionManager sessions = new SessionManager();
             SessionManager pubs = new SessionManager()) {
            MqttSession s = sessions.add(SessionConfig.builder(mosq.url()).clientId("handon-sub").maxInFlight(maxInFlight).build());
            s.subscribe(SubscriptionSpec.of("order/+", 1), sink);
            s.connect();
            s.awaitReady(Duration.ofSeconds(10));
            MqttSession p = pubs.add(SessionConfig.builder(mosq.url()).clientId("handon-pub").build());
            p.connect();
            p.awaitReady(Duration.ofSeconds(10));
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) {
                for (int t = 0; t < topics; t++) {
                    byte[] payload = ("t" + t + ":" + i).getBytes(StandardCharsets.UTF_8);
                    fs.add(p.publish(new Publication(null, "order/t" + t, payload, 1, false, null)));
                }
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            int total = topics * perTopic;
            await().atMost(Duration.ofSeconds(60)).until(() -> rec.acks.get() >= total);
            await().atMost(Duration.ofSeconds(10)).until(() -> s.status().stats().acknowledged() >= total);
            Thread.sleep(200); // nothing more may arrive
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) expected.add(i);
            assertThat(rec.seen).hasSize(topics);
            rec.seen.forEach((t, list) -> assertThat(list).as("topic %s: each message once, in order", t).isEqualTo(expected));
            assertThat(rec.maxOutstanding.get()).as("handed on and not acknowledged at once").isBetween(1, maxInFlight);
            assertThat(inline.get()).as("taken on the client's thread").isPositive();
            assertThat(queued.get()).as("handed on by the reading thread").isPositive();
            assertThat(inline.get() + queued.get()).isEqualTo(total);
            SessionStats stats = s.status().stats();
            assertThat(stats.received()).isEqualTo(total);
            assertThat(stats.acknowledged()).isEqualTo(total);
            assertThat(stats.inFlight()).isZero();
        }
    }

    /**
     * Records what a sink takes (payloads {@code topic:seq}) and acknowledges each message later on another thread,
     * out of order when {@code jitter}: the messages handed on and not yet acknowledged, their most at once, and acks.
     */
    static final class Recorder {
        final Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger maxOutstanding = new AtomicInteger();
        final AtomicInteger acks = new AtomicInteger();
        private final boolean jitter;

        Recorder(boolean jitter) {
            this.jitter = jitter;
        }

        void take(Message m, Acknowledgement ack) {
            maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            String[] parts = new String(m.payload(), StandardCharsets.UTF_8).split(":");
            seen.computeIfAbsent(parts[0], k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(Integer.parseInt(parts[1]));
            Thread.ofVirtual().start(() -> {
                if (jitter && ThreadLocalRandom.current().nextInt(4) == 0) LockSupport.parkNanos(200_000);
                outstanding.decrementAndGet();
                acks.incrementAndGet();
                ack.complete(Outcome.HANDLED);
            });
        }
    }
}
