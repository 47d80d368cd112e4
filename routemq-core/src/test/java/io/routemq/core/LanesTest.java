package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link Lanes}: per key, every task runs exactly once, one at a time, in the order given, while lanes end and start
 * again under the adders' feet; and the dispatcher's {@link Dispatcher#tryDispatch} never waits for room.
 */
class LanesTest {

    private record Task(String key, int seq) {
    }

    @Test
    void eachKeysTasksRunOnceInOrderOneAtATimeWhileLanesEndAndRestart() throws Exception {
        int keys = 20;
        int perKey = 2_000;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Lanes<Task> lanes = new Lanes<>(Thread.ofVirtual().factory(), t -> {
            int now = running.computeIfAbsent(t.key, k -> new AtomicInteger()).incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            // short and uneven: lanes often run dry and end while the adders are about to offer to them
            if (ThreadLocalRandom.current().nextInt(8) == 0) LockSupport.parkNanos(20_000);
            seen.computeIfAbsent(t.key, k -> new CopyOnWriteArrayList<>()).add(t.seq);
            running.get(t.key).decrementAndGet();
            done.incrementAndGet();
        }, (t, e) -> {
            throw new AssertionError("refused " + t, e);
        }, 4);
        // one adder thread per key, as a connection is for its topics; each key's sequence is added in order
        List<Thread> adders = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int k = 0; k < keys; k++) {
            String key = "k" + k;
            adders.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perKey; i++) {
                    lanes.add(key, new Task(key, i));
                    if (ThreadLocalRandom.current().nextInt(16) == 0) Thread.yield();
                }
            }));
        }
        go.countDown();
        for (Thread t : adders) t.join();
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == keys * perKey);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perKey; i++) expected.add(i);
        assertThat(seen).hasSize(keys);
        seen.forEach((k, list) -> assertThat(list).as("tasks of %s, in order, each once", k).isEqualTo(expected));
        assertThat(maxRunning).as("at most one task of a key at a time").hasValue(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> lanes.size() == 0);
    }

    @Test
    void aLaneWhoseThreadCannotStartRefusesItsTasksAndLeavesNoLaneBehind() {
        List<Task> refused = new CopyOnWriteArrayList<>();
        Lanes<Task> lanes = new Lanes<>(r -> {
            throw new IllegalStateException("no threads today");
        }, t -> { }, (t, e) -> refused.add(t), 4);
        lanes.add("a", new Task("a", 1));
        lanes.add("a", new Task("a", 2));
        assertThat(refused).extracting(Task::seq).containsExactly(1, 2);
        assertThat(lanes.size()).isZero();
    }

    @Test
    void tryDispatchNeverWaitsForRoomAndLeavesARefusedMessageUnacknowledged() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Router r = Router.create();
        r.on("t/{n}", ctx -> release.await(10, TimeUnit.SECONDS));
        try (Dispatcher d = Dispatcher.builder(r.build()).maxInFlight(2).build()) {
            CompletableFuture<Outcome> a = new CompletableFuture<>();
            CompletableFuture<Outcome> b = new CompletableFuture<>();
            List<Outcome> refusedAck = new CopyOnWriteArrayList<>();
            assertThat(d.tryDispatch(Message.of("t/1", ""), a::complete)).isTrue();
            assertThat(d.tryDispatch(Message.of("t/2", ""), b::complete)).isTrue();
            assertThat(d.tryDispatch(Message.of("t/3", ""), refusedAck::add)).as("no room: refused at once").isFalse();
            // a message no route matches needs no room: taken and acknowledged at once
            CompletableFuture<Outcome> unmatched = new CompletableFuture<>();
            assertThat(d.tryDispatch(Message.of("nothing/here", ""), unmatched::complete)).isTrue();
            assertThat(unmatched.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.UNMATCHED);
            release.countDown();
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            CompletableFuture<Outcome> c = new CompletableFuture<>();
            assertThat(d.tryDispatch(Message.of("t/3", ""), c::complete)).isTrue();
            assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(refusedAck).as("the refused message's acknowledgement is never called").isEmpty();
            assertThat(d.stats().handled()).isEqualTo(3);
        }
    }
}
