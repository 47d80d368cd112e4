package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acknowledgement fires exactly once per message, whatever happens to it: 50,000 messages from 8 threads over
 * 200 topics, with handlers that throw exceptions and Errors, middleware that filters, handlers that sleep, ordered,
 * unordered, redelivered, fan-out and unmatched routes.
 */
class ExactlyOnceAckTest {

    private static final int MESSAGES = 50_000;
    private static final int THREADS = 8;
    private static final int TOPICS = 200;
    private static final String[] FAMILIES = {"load", "redo", "fast", "none"};

    private static String topicOf(int id) {
        int k = id % TOPICS;
        return FAMILIES[k % FAMILIES.length] + "/" + k;
    }

    /** What the message does; independent of its topic family (id % 4). */
    private static int kind(int id) {
        return (id / 4) % 10;
    }

    private static Outcome expected(int id) {
        String family = topicOf(id).substring(0, 4);
        if (family.equals("none")) return Outcome.UNMATCHED;
        int kind = kind(id);
        if (kind == 3) return Outcome.FILTERED;
        if (kind == 0 || kind == 1) return family.equals("redo") ? Outcome.REJECTED : Outcome.FAILED;
        return Outcome.HANDLED;
    }

    private static void behave(Context ctx) {
        int id = Integer.parseInt(ctx.text());
        switch (kind(id)) {
            case 0 -> throw new IllegalStateException("handler failure " + id);
            case 1 -> throw new Error("handler Error " + id);
            case 4 -> LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(10_000, 100_000));
            case 5 -> Thread.yield();
            default -> { }
        }
    }

    @Test
    void everyMessageIsAcknowledgedExactlyOnce() throws Exception {
        LongAdder errorsReported = new LongAdder();
        LongAdder auditCalls = new LongAdder();
        Router r = Router.create();
        r.middleware((ctx, next) -> {
            if (kind(Integer.parseInt(ctx.text())) != 3) next.proceed(ctx);
        });
        r.on("load/{n}", ExactlyOnceAckTest::behave);
        r.on("load/#", ctx -> auditCalls.increment()).fanout().name("audit");
        r.on("redo/{n}", ExactlyOnceAckTest::behave).onError(ErrorPolicy.redeliver());
        r.on("fast/{n}", ExactlyOnceAckTest::behave).unordered();

        Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();

        Dispatcher d = Dispatcher.builder(r.build()).maxInFlight(256)
                .errorHandler((ctx, e, attempts) -> errorsReported.increment()).build();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            producers.add(Thread.ofPlatform().name("producer-" + t).start(() -> {
                try {
                    for (int id = first; id < MESSAGES; id += THREADS) {
                        int msgId = id;
                        d.dispatch(Message.of(topicOf(id), Integer.toString(id)), outcome -> {
                            calls.computeIfAbsent(msgId, k -> new AtomicInteger()).incrementAndGet();
                            outcomes.put(msgId, outcome);
                        });
                    }
                } catch (Throwable e) {
                    producerFailure.set(e);
                }
            }));
        }
        for (Thread p : producers) p.join(60_000);
        assertThat(producerFailure.get()).isNull();
        assertThat(producers).noneMatch(Thread::isAlive);
        assertThat(d.awaitIdle(Duration.ofSeconds(60))).isTrue();

        Map<Outcome, Long> expectedCounts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) expectedCounts.put(o, 0L);
        List<Integer> wrongCount = new ArrayList<>();
        List<String> wrongOutcome = new ArrayList<>();
        for (int id = 0; id < MESSAGES; id++) {
            Outcome exp = expected(id);
            expectedCounts.merge(exp, 1L, Long::sum);
            AtomicInteger c = calls.get(id);
            if (c == null || c.get() != 1) wrongCount.add(id);
            if (outcomes.get(id) != exp) wrongOutcome.add(id + ": " + outcomes.get(id) + " expected " + exp);
        }
        assertThat(calls).hasSize(MESSAGES);
        assertThat(wrongCount).as("ids not acknowledged exactly once").isEmpty();
        assertThat(wrongOutcome).as("ids with an unexpected outcome").isEmpty();

        DispatchStats s = d.stats();
        assertThat(s.total()).isEqualTo(MESSAGES);
        assertThat(s.inFlight()).isZero();
        assertThat(s).isEqualTo(new DispatchStats(expectedCounts.get(Outcome.HANDLED), expectedCounts.get(Outcome.FILTERED),
                expectedCounts.get(Outcome.UNMATCHED), expectedCounts.get(Outcome.FAILED), expectedCounts.get(Outcome.REJECTED), 0));
        // every outcome occurs, so the test covers every path
        assertThat(expectedCounts.values()).allMatch(n -> n > 1_000);
        long failing = expectedCounts.get(Outcome.FAILED) + expectedCounts.get(Outcome.REJECTED);
        assertThat(errorsReported.sum()).isEqualTo(failing);
        // the fan-out route saw every unfiltered message on load/...
        long loadUnfiltered = 0;
        for (int id = 0; id < MESSAGES; id++) if (topicOf(id).startsWith("load/") && kind(id) != 3) loadUnfiltered++;
        assertThat(auditCalls.sum()).isEqualTo(loadUnfiltered);

        assertThat(d.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(calls.values()).allMatch(c -> c.get() == 1);
    }
}
