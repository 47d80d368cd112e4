package io.routemq.mqtt;

import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A persistent session receives 20,000 QoS 1 messages while the broker (HiveMQ CE, file persistence, same port) is
 * stopped and restarted three times mid-stream. Nothing may be lost; duplicates are counted.
 */
class BrokerRestartTest {
    @TempDir
    Path tmp;

    @Test
    void persistentSessionLosesNothingAcrossThreeBrokerRestarts() throws Exception {
        int total = 20_000;
        int[] restartAt = {4_000, 9_000, 14_000};
        TestSupport.HiveMq broker = new TestSupport.HiveMq(tmp.resolve("hivemq")).start();
        ConcurrentHashMap<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicLong deliveries = new AtomicLong();
        List<Long> readyTimes = new CopyOnWriteArrayList<>();
        ReconnectPolicy fast = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2);

        SessionManager subs = new SessionManager();
        subs.addListener(e -> {
            if (e.type() == SessionEvent.Type.READY) readyTimes.add(System.nanoTime());
        });
        MqttSession sub = subs.add(SessionConfig.builder(broker.url()).clientId("restart-sub").persistentSession(Duration.ofHours(1))
                .reconnect(fast).build());
        sub.subscribe(SubscriptionSpec.of("load/#", 1), (m, ack) -> {
            int id = Integer.parseInt(new String(m.payload(), StandardCharsets.US_ASCII));
            counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            deliveries.incrementAndGet();
            ack.complete(Outcome.HANDLED);
        });
        sub.connect();
        sub.awaitReady(Duration.ofSeconds(20));

        SessionManager pubs = new SessionManager();
        MqttSession pub = pubs.add(SessionConfig.builder(broker.url()).clientId("restart-pub").persistentSession(Duration.ofHours(1))
                .reconnect(fast).build());
        pub.connect();
        pub.awaitReady(Duration.ofSeconds(20));

        AtomicInteger republished = new AtomicInteger();
        List<Long> brokerBack = new ArrayList<>();
        Thread restarter = Thread.ofPlatform().name("restarter").start(() -> {
            try {
                for (int at : restartAt) {
                    while (counts.size() < at) Thread.sleep(5);
                    broker.stop();
                    Thread.sleep(1000);
                    broker.start();
                    synchronized (brokerBack) {
                        brokerBack.add(System.nanoTime());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // Publish with a bounded window; a publish that fails is published again (the publisher is at least once too).
        Semaphore window = new Semaphore(1000);
        List<CompletableFuture<Void>> all = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            window.acquire();
            all.add(publishUntilAcked(pub, i, window, republished));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(180, TimeUnit.SECONDS);
        restarter.join(120_000);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> counts.size() >= total);
        Thread.sleep(1000); // late duplicates

        int unique = counts.size();
        long duplicates = deliveries.get() - unique;
        int lost = 0;
        for (int i = 0; i < total; i++) if (!counts.containsKey(i)) lost++;
        List<Long> toSuback = new ArrayList<>();
        synchronized (brokerBack) {
            for (long back : brokerBack) {
                long firstReady = readyTimes.stream().filter(t -> t >= back).min(Long::compare).orElse(-1L);
                toSuback.add(firstReady < 0 ? -1 : (firstReady - back) / 1_000_000);
            }
        }
        System.out.printf("broker restarts: sent=%d received=%d unique=%d duplicates=%d lost=%d republished=%d restarts=%d"
                        + " brokerReturnToSubackMs=%s reconnectAttempts=%d%n",
                total, deliveries.get(), unique, duplicates, lost, republished.get(), brokerBack.size(), toSuback,
                sub.status().stats().reconnectAttempts());
        pubs.close();
        subs.close();
        broker.close();
        assertThat(brokerBack).hasSize(3);
        assertThat(lost).isZero();
        assertThat(unique).isEqualTo(total);
    }

    private static CompletableFuture<Void> publishUntilAcked(MqttSession pub, int id, Semaphore window, AtomicInteger republished) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(pub, id, done, republished);
        return done.whenComplete((v, t) -> window.release());
    }

    private static void attempt(MqttSession pub, int id, CompletableFuture<Void> done, AtomicInteger republished) {
        pub.publish(new Publication(null, "load/" + (id % 16), Integer.toString(id).getBytes(StandardCharsets.US_ASCII), 1, false, null))
                .whenComplete((v, t) -> {
                    if (t == null) {
                        done.complete(null);
                    } else {
                        republished.incrementAndGet();
                        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> attempt(pub, id, done, republished));
                    }
                });
    }
}
