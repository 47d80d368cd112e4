package io.routemq.bench.jmh;

import io.routemq.core.Acknowledgement;
import io.routemq.core.Dispatcher;
import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.core.Middleware;
import io.routemq.core.Outcome;
import io.routemq.core.RouteBuilder;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The dispatcher's cost per message: {@link Dispatcher#dispatch} of a batch of {@value #BATCH} messages through a
 * trivial handler behind two trivial middleware, waiting until every message's acknowledgement has fired. One
 * operation is one message (dispatched, run on a virtual thread, acknowledged), so ops/s is messages/s. The
 * {@link #resolve()} baseline is the route lookup alone, on the same table and topics.
 *
 * <p>The table is the 1,000-route {@link IotWorkload}; every probe topic matches. {@code lanes=ordered} uses the
 * default per-topic ordering (messages of one topic handled in order); {@code lanes=unordered} marks every route
 * {@link RouteBuilder#unordered()}, so each message gets its own virtual thread with no lane bookkeeping. The
 * calling thread is one JMH thread; the handlers run on the JDK's virtual-thread scheduler (all cores).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DispatchBenchmark {
    /** Messages per benchmark invocation. */
    static final int BATCH = 1024;
    private static final int ROUTES = 1000;
    private static final int TOPICS = 4096;

    /** Per-topic ordered lanes (the default) or unordered routes. */
    @Param({"ordered", "unordered"})
    public String lanes;

    private RouteTable table;
    private Dispatcher dispatcher;
    private Message[] messages;
    private String[] topics;
    private int next;
    private final BatchAck ack = new BatchAck();

    /** Counts a batch down and checks that every message was handled. */
    static final class BatchAck implements Acknowledgement {
        volatile CountDownLatch latch;
        final LongAdder notHandled = new LongAdder();
        volatile Outcome lastBad;

        @Override
        public void complete(Outcome outcome) {
            if (outcome != Outcome.HANDLED) {
                notHandled.increment();
                lastBad = outcome;
            }
            latch.countDown();
        }
    }

    /** Builds the table (routes with two middleware), the dispatcher and the messages. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean unordered = lanes.equals("unordered");
        if (!unordered && !lanes.equals("ordered")) {
            throw new IllegalArgumentException("lanes must be 'ordered' or 'unordered', got '" + lanes + "'");
        }
        List<String> patterns = IotWorkload.patterns(ROUTES, IotWorkload.SEED);
        Router router = Router.create();
        Middleware first = (ctx, next) -> next.proceed(ctx);
        Middleware second = (ctx, next) -> next.proceed(ctx);
        router.middleware(first, second);
        for (String p : patterns) {
            RouteBuilder b = router.on(p, ctx -> { });
            if (unordered) b.unordered();
        }
        table = router.build();
        String[] candidates = IotWorkload.topics(patterns, TOPICS * 2, 0.0, IotWorkload.SEED + 2);
        List<String> matched = new ArrayList<>(TOPICS);
        for (String t : candidates) {
            if (matched.size() < TOPICS && table.match(t) != null) matched.add(t);
        }
        if (matched.size() < TOPICS) throw new IllegalStateException("workload gave only " + matched.size() + " matching topics");
        topics = matched.toArray(String[]::new);
        byte[] payload = new byte[32];
        messages = new Message[TOPICS];
        for (int i = 0; i < TOPICS; i++) messages[i] = Message.of(topics[i], payload);
        dispatcher = Dispatcher.builder(table).maxInFlight(BATCH).build();
    }

    /** Stops the dispatcher and fails the run if any message was not handled. */
    @TearDown(Level.Trial)
    public void tearDown() {
        dispatcher.close();
        if (ack.notHandled.sum() > 0) {
            throw new IllegalStateException(ack.notHandled.sum() + " message(s) were not handled, last outcome " + ack.lastBad);
        }
    }

    /** One batch of dispatches, waited for until the last acknowledgement. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void dispatch() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(BATCH);
        ack.latch = latch;
        for (int i = 0; i < BATCH; i++) dispatcher.dispatch(messages[next++ & (TOPICS - 1)], ack);
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("batch not acknowledged within 30 s: " + latch.getCount() + " left; "
                    + dispatcher.stats());
        }
    }

    /** Baseline: the route lookup the dispatcher starts with, for one message. */
    @Benchmark
    public List<Match> resolve() {
        return table.resolve(topics[next++ & (TOPICS - 1)]);
    }
}
