package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link Lanes} reuses lane threads: a thread whose lane ended takes the next new lane, while a new lane never waits
 * behind a running one (different keys stay parallel), no interrupt crosses from one lane to the next, and closing
 * ends the waiting threads.
 */
class LaneThreadsTest {

    private static Lanes<Runnable> lanes(int maxIdle) {
        Consumer<Runnable> run = Runnable::run;
        return new Lanes<>(Thread.ofVirtual().name("lane-", 0).factory(), run, (t, e) -> {
            throw new AssertionError("refused", e);
        }, maxIdle);
    }

    /** Adds one task to {@code key} and waits until it ran; returns the thread it ran on. */
    private static Thread runOn(Lanes<Runnable> lanes, String key) throws InterruptedException {
        AtomicReference<Thread> on = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        lanes.add(key, () -> {
            on.set(Thread.currentThread());
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the task of %s ran", key).isTrue();
        return on.get();
    }

    @Test
    void aThreadWhoseLaneEndedRunsTheNextKeysLaneInsteadOfANewThread() throws Exception {
        Lanes<Runnable> lanes = lanes(4);
        Thread first = runOn(lanes, "a");
        await().atMost(Duration.ofSeconds(10)).until(() -> lanes.idleThreads() == 1);
        Thread second = runOn(lanes, "b");
        assertThat(second).as("b's lane ran on the thread a's lane left waiting").isSameAs(first);
        assertThat(lanes.threadsStarted()).isEqualTo(1);
        assertThat(lanes.lanesReused()).isEqualTo(1);
        lanes.close();
        first.join(10_000);
        assertThat(first.isAlive()).as("close() ends the waiting thread").isFalse();
        assertThat(lanes.idleThreads()).isZero();
    }

    @Test
    void aNewLaneNeverWaitsBehindABlockedOneEvenWhenTheOnlyWaitingThreadIsTaken() throws Exception {
        Lanes<Runnable> lanes = lanes(1);
        runOn(lanes, "warm"); // leaves one thread waiting
        await().atMost(Duration.ofSeconds(10)).until(() -> lanes.idleThreads() == 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        lanes.add("slow", () -> {
            blocked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        // the waiting thread took "slow" and is blocked in it: "fast" must get a thread of its own and run now
        Thread fast = runOn(lanes, "fast");
        assertThat(release.getCount()).as("fast ran while slow still blocked").isEqualTo(1);
        release.countDown();
        assertThat(fast).isNotNull();
        assertThat(lanes.threadsStarted()).isEqualTo(2);
        lanes.close();
    }

    @Test
    void anInterruptATaskLeavesBehindDoesNotReachTheNextLaneOnTheSameThread() throws Exception {
        Lanes<Runnable> lanes = lanes(1);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Thread> interrupter = new AtomicReference<>();
        lanes.add("a", () -> {
            interrupter.set(Thread.currentThread());
            Thread.currentThread().interrupt();
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> lanes.idleThreads() == 1);
        AtomicBoolean interrupted = new AtomicBoolean(true);
        AtomicReference<Thread> on = new AtomicReference<>();
        CountDownLatch second = new CountDownLatch(1);
        lanes.add("b", () -> {
            on.set(Thread.currentThread());
            interrupted.set(Thread.currentThread().isInterrupted());
            second.countDown();
        });
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(on.get()).as("the same thread ran both lanes").isSameAs(interrupter.get());
        assertThat(interrupted).as("b's task saw no interrupt").isFalse();
        lanes.close();
    }

    @Test
    void atMostMaxIdleThreadsWaitAndCloseEndsThemAll() throws Exception {
        int maxIdle = 3;
        Lanes<Runnable> lanes = lanes(maxIdle);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(10);
        for (int k = 0; k < 10; k++) {
            lanes.add("k" + k, () -> {
                threads.add(Thread.currentThread());
                started.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("10 blocked keys, 10 threads at once").isTrue();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> lanes.size() == 0 && threads.stream().filter(Thread::isAlive).count() == maxIdle);
        assertThat(lanes.idleThreads()).isEqualTo(maxIdle);
        lanes.close();
        for (Thread t : threads) t.join(10_000);
        assertThat(threads).as("every lane thread ended after close()").noneMatch(Thread::isAlive);
        // a lane added after close still runs, on a thread of its own that then ends
        Thread late = runOn(lanes, "late");
        late.join(10_000);
        assertThat(late.isAlive()).isFalse();
    }

    @Test
    void manyKeysEachInOrderWhileThreadsMoveBetweenKeys() throws Exception {
        Lanes<Runnable> lanes = lanes(2);
        int keys = 500;
        int blocks = 4;
        int perBlock = 10;
        int perKey = blocks * perBlock;
        List<List<Integer>> seen = new ArrayList<>();
        for (int k = 0; k < keys; k++) seen.add(java.util.Collections.synchronizedList(new ArrayList<>()));
        CountDownLatch done = new CountDownLatch(keys * perKey);
        // Blocks of rounds: within a block two threads add while the lanes run (whether a lane ends between two of its
        // tasks is up to the scheduler); between blocks every lane ends, so the next block's lanes must start on the
        // threads left waiting. Without the pause a slow CI machine may run no lane before the adders finish, and no
        // thread then moves between keys.
        for (int b = 0; b < blocks; b++) {
            int from = b * perBlock;
            Thread[] adders = new Thread[2];
            for (int a = 0; a < adders.length; a++) {
                int half = a;
                adders[a] = Thread.ofPlatform().start(() -> {
                    for (int i = from; i < from + perBlock; i++) {
                        for (int k = half; k < keys; k += 2) {
                            int key = k;
                            int seq = i;
                            lanes.add("k" + k, () -> {
                                seen.get(key).add(seq);
                                done.countDown();
                            });
                        }
                    }
                });
            }
            for (Thread t : adders) t.join();
            long left = (long) keys * (perKey - from - perBlock);
            await().atMost(Duration.ofSeconds(30)).until(() -> done.getCount() == left && lanes.size() == 0
                    && lanes.idleThreads() > 0);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perKey; i++) expected.add(i);
        for (int k = 0; k < keys; k++) assertThat(seen.get(k)).as("key k%d in order, each once", k).isEqualTo(expected);
        assertThat(lanes.lanesReused()).as("threads went from key to key").isGreaterThanOrEqualTo(blocks - 1);
        lanes.close();
    }
}
