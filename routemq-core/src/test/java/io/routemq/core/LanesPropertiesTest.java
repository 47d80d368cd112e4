package io.routemq.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Lanes} under generated plans: adders put tasks on random keys while lanes end, threads wait for the next
 * lane and take it, some tasks pause, and some run on the adder's own thread ({@link Lanes#runHereOrAdd}) while
 * others queue behind them; every task runs exactly once, a key's tasks in the order they were added and one at a
 * time, whatever the number of waiting threads allowed.
 */
class LanesPropertiesTest {

    @Property(tries = 30)
    void everyTaskRunsOnceInItsKeysOrder(@ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 40) Integer> plan,
                                         @ForAll @IntRange(min = 0, max = 3) int maxIdle,
                                         @ForAll @IntRange(min = 1, max = 3) int adders,
                                         @ForAll @IntRange(min = 0, max = 4) int herePerFour) throws Exception {
        // a plan entry is a key and, when divisible by 7, a task that pauses: its lane fills while it runs
        Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(plan.size());
        Lanes<int[]> lanes = new Lanes<>(Thread.ofVirtual().factory(), t -> {
            int key = t[0];
            if (running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) overlaps.incrementAndGet();
            if (t[2] % 7 == 0) LockSupport.parkNanos(50_000);
            seen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(t[1]);
            running.get(key).decrementAndGet();
            done.countDown();
        }, (t, e) -> {
            throw new AssertionError("refused", e);
        }, maxIdle);
        // each key belongs to one adder (as a topic to one connection), so the order it adds in is the key's order
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int a = 0; a < adders; a++) {
            int me = a;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < plan.size(); i++) {
                    int key = plan.get(i);
                    if (key % adders != me) continue;
                    int[] task = {key, i, i + key};
                    if (i % 4 < herePerFour) lanes.runHereOrAdd("k" + key, task);
                    else lanes.add("k" + key, task);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertThat(done.await(30, TimeUnit.SECONDS)).as("every task ran").isTrue();
        Map<Integer, List<Integer>> expected = new ConcurrentHashMap<>();
        for (int i = 0; i < plan.size(); i++) expected.computeIfAbsent(plan.get(i), k -> new ArrayList<>()).add(i);
        assertThat(seen).as("each key's tasks once, in order").isEqualTo(expected);
        assertThat(overlaps).as("never two tasks of a key at once").hasValue(0);
        lanes.close();
    }
}
