package io.routemq.core;

import io.routemq.core.internal.Chain;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs messages through their routes' middleware chains and handlers, on virtual threads.
 *
 * <ul>
 *   <li><b>Ordering.</b> Messages on one topic are handled in arrival order; different topics run in parallel.
 *       A message whose routes are all {@link RouteBuilder#unordered() unordered} runs at once on its own thread.</li>
 *   <li><b>Threads.</b> A message runs on its topic's lane thread (a virtual thread), so a handler may block. A
 *       message whose routes are all {@link RouteBuilder#nonBlocking() non-blocking} runs on the thread that gave it
 *       to {@link #dispatch} (the MQTT client's event loop), unless its topic has a lane running: then it queues
 *       behind it, in order.</li>
 *   <li><b>Backpressure.</b> At most {@code maxInFlight} messages are in flight. {@link #dispatch} blocks the caller
 *       when the limit is reached, which delays the transport's acknowledgements; nothing is dropped.</li>
 *   <li><b>Acknowledgement.</b> Each message's {@link Acknowledgement} is called exactly once, after its chain
 *       has finished: handled, filtered, unmatched, or failed after the route's {@link ErrorPolicy}; and, for a
 *       route that forwards to sinks ({@link RouteBuilder#to}), only once its append to every sink is durable. A
 *       failed append is {@link Outcome#REJECTED} (not acknowledged, so the broker delivers it again). A failed
 *       handler appends nothing: under {@link ErrorPolicy#redeliver()} the message is REJECTED, under the default
 *       {@link ErrorPolicy#ack()} it is acknowledged as {@link Outcome#FAILED}.</li>
 *   <li><b>Pipelined appends.</b> The appends are issued in arrival order and not awaited by the topic's lane: the
 *       next message of the topic runs while the previous one waits for its fsync, and many share one. A message
 *       holds its in-flight permit until its appends complete. A message whose routes all only forward (no handler,
 *       no middleware) is appended on the calling thread, with no hand-off.</li>
 *   <li><b>Sessions.</b> When routes are on several sessions ({@link RouteBuilder#session}), a message is matched
 *       only against the routes of the session it arrived on.</li>
 *   <li><b>Isolation.</b> What a handler throws goes to the {@link ErrorHandler}; it never stops the dispatcher.</li>
 * </ul>
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** The routes now in force; {@link #swapRoutes} replaces it in one write. */
    private volatile Routing routing;
    private final String defaultSession;
    private final Publisher publisher;
    private final ErrorHandler errorHandler;
    private final DispatchListener listener;
    private final ObjectMapper json;
    private final int maxInFlight;
    private final Semaphore permits;
    /**
     * Starts the handler threads. A plain virtual-thread factory, not an executor service: a thread-per-task
     * executor keeps every thread in a concurrent set (two map updates per thread), and {@link #shutdown} waits for
     * the in-flight permits anyway.
     */
    private final ThreadFactory threads;
    /** Runs ordered messages: one thread at a time per topic, in arrival order, on reused lane threads. */
    private final Lanes<Task> lanes;
    /**
     * Lane threads kept waiting for the next topic's lane instead of ending (a parked virtual thread: about a
     * kilobyte). Enough to take the lanes of a busy 2-core consumer's churn; beyond it, a lane starts a thread.
     */
    static final int IDLE_LANE_THREADS = 64;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder handled = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final SinkAppender appender;

    private Dispatcher(Builder b) {
        this.defaultSession = b.defaultSession;
        this.publisher = b.publisher;
        this.errorHandler = b.errorHandler != null ? b.errorHandler : Dispatcher::logError;
        this.listener = b.listener != null ? b.listener : new DispatchListener() { };
        this.json = b.json != null ? b.json : JsonMapper.builder().build();
        this.maxInFlight = b.maxInFlight;
        this.permits = new Semaphore(b.maxInFlight);
        this.appender = b.appender;
        this.routing = routing(b.table);
        this.threads = Thread.ofVirtual().name(b.threadName + "-", 0).factory();
        this.lanes = new Lanes<>(threads, this::runTask, this::refuse, IDLE_LANE_THREADS);
    }

    /** A builder for a dispatcher over a route table. */
    public static Builder builder(RouteTable table) {
        return new Builder(table);
    }

    /** The route table now in force. */
    public RouteTable table() {
        return routing.table;
    }

    /**
     * Replaces the route table atomically (dev mode's reload). A message accepted before the swap runs on the routes
     * it was matched against, the old table's handlers and middleware; a message accepted after it runs on the new
     * table. Nothing is dropped or closed, and per-topic ordering holds across the swap (one topic's messages stay on
     * one lane). The new table's routes are checked as at build: every sink they name must be one this dispatcher's
     * {@link Builder#sinks appender} serves.
     *
     * @return the table it replaced
     * @throws IllegalStateException when a route of the new table names a sink the appender does not serve; the old
     *                               table stays in force
     */
    public RouteTable swapRoutes(RouteTable table) {
        Objects.requireNonNull(table, "table");
        Routing next = routing(table);
        synchronized (this) {
            RouteTable old = routing.table;
            routing = next;
            return old;
        }
    }

    private Routing routing(RouteTable table) {
        SinkStep step = new SinkStep(table, appender, listener);
        Map<String, List<Route>> grouped = new LinkedHashMap<>();
        for (Route r : table.routes()) {
            grouped.computeIfAbsent(r.session() != null ? r.session() : defaultSession, k -> new ArrayList<>()).add(r);
        }
        Map<String, RouteTable> tables = new HashMap<>();
        if (grouped.size() > 1) grouped.forEach((session, list) -> tables.put(session, new RouteTable(list)));
        return new Routing(table, grouped.size() > 1 ? null : table, Map.copyOf(tables), step);
    }

    /**
     * One route table as the dispatcher runs it.
     *
     * @param single    the table when every route is on one session (messages are not told apart by session), else null
     * @param bySession each session's routes, when routes are on more than one session
     */
    private record Routing(RouteTable table, RouteTable single, Map<String, RouteTable> bySession, SinkStep sinkStep) {
    }

    /**
     * Accepts one message. Returns once the message is queued for its handler; blocks first while
     * {@code maxInFlight} messages are in flight. A message no route matches is acknowledged at once as
     * {@link Outcome#UNMATCHED}. After {@link #close()}, messages are answered {@link Outcome#REJECTED} so that the
     * transport does not acknowledge them.
     *
     * @throws InterruptedException if interrupted while waiting for room; the message is then not accepted and its
     *                              acknowledgement is not called
     */
    public void dispatch(Message message, Acknowledgement ack) throws InterruptedException {
        accept(message, ack, true);
    }

    /**
     * Accepts one message if that needs no waiting: as {@link #dispatch}, except that when {@code maxInFlight}
     * messages are in flight it returns false at once, and then the message is not accepted and its acknowledgement
     * is not called. A transport can call it on a thread that must not block and hand the message to
     * {@link #dispatch} on another thread only when it returns false.
     *
     * @return true if the message was accepted: its acknowledgement will be called exactly once
     */
    public boolean tryDispatch(Message message, Acknowledgement ack) {
        try {
            return accept(message, ack, false);
        } catch (InterruptedException e) {
            throw new IllegalStateException("tryDispatch never waits", e);
        }
    }

    private boolean accept(Message message, Acknowledgement ack, boolean wait) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(ack, "ack");
        if (closed.get()) {
            rejected.increment();
            complete(message, new Once(ack), Outcome.REJECTED);
            return true;
        }
        Routing now = routing;
        RouteTable routes = now.single != null ? now.single : now.bySession.get(message.session());
        List<Match> matches = routes == null ? List.of() : routes.resolve(message.topic());
        if (matches.isEmpty()) {
            unmatched.increment();
            if (log.isDebugEnabled()) log.debug("no route matches topic '{}' (session {})", message.topic(), message.session());
            safeListener(() -> listener.onUnmatched(message));
            complete(message, new Once(ack), Outcome.UNMATCHED);
            return true;
        }
        if (wait) {
            permits.acquire();
        } else if (!permits.tryAcquire()) {
            return false;
        }
        boolean sinks = false;
        boolean forwardOnly = true;
        boolean ordered = false;
        boolean here = true;
        for (int i = 0, n = matches.size(); i < n; i++) {
            Route r = matches.get(i).route();
            sinks |= !r.sinks().isEmpty();
            forwardOnly &= r.forwardOnly();
            ordered |= r.ordered();
            here &= r.nonBlocking();
        }
        Task task = new Task(message, matches, new Once(ack), sinks, now.sinkStep);
        if (forwardOnly) {
            // Nothing to run: append here, in arrival order, and let the appends complete the message. No hand-off.
            forwardNow(task);
        } else if (here) {
            // Non-blocking routes: run on this thread, still behind the topic's lane if one is running.
            if (ordered) lanes.runHereOrAdd(message.topic(), task);
            else runTask(task);
        } else if (ordered) {
            lanes.add(message.topic(), task);
        } else {
            try {
                threads.newThread(() -> runTask(task)).start();
            } catch (RuntimeException | OutOfMemoryError e) {
                refuse(task, e); // no thread: never lose the ack
            }
        }
        return true;
    }

    private void refuse(Task task, Throwable cause) {
        log.error("dispatcher could not start a handler thread for topic '{}': {}; the message is not acknowledged",
                task.message.topic(), cause.toString());
        settle(task, Outcome.REJECTED);
    }

    private void runTask(Task task) {
        Outcome outcome = Outcome.REJECTED;
        // without sinks, an empty list that allocates no array until a handler calls Context.ackAfter
        List<CompletableFuture<Void>> appends = task.sinks ? new ArrayList<>(2) : new ArrayList<>();
        try {
            outcome = runRoutes(task, appends);
        } catch (Throwable t) {
            log.error("dispatcher failure on topic '{}': {}", task.message.topic(), t.toString(), t);
        } finally {
            finish(task, outcome, appends);
        }
    }

    private void forwardNow(Task task) {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> appends = new ArrayList<>(task.matches.size());
        long now = System.currentTimeMillis();
        for (Match m : task.matches) {
            Route route = m.route();
            task.sinkStep.append(route, task.message, () -> Envelope.of(task.message, route.name(), m.params(), now), start, appends);
        }
        finish(task, Outcome.HANDLED, appends);
    }

    /**
     * Completes the message once its appends (if any) are durable: the outcome of its routes, or REJECTED when an
     * append failed. The lane does not wait for this: it goes on with the next message of the topic.
     */
    private void finish(Task task, Outcome outcome, List<CompletableFuture<Void>> appends) {
        if (appends == null || appends.isEmpty()) {
            settle(task, outcome);
            return;
        }
        CompletableFuture<?> all = appends.size() == 1 ? appends.get(0) : CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
        all.whenComplete((v, err) -> settle(task, err == null ? outcome : worse(outcome, Outcome.REJECTED)));
    }

    private void settle(Task task, Outcome outcome) {
        switch (outcome) {
            case HANDLED -> handled.increment();
            case FILTERED -> filtered.increment();
            case FAILED -> failed.increment();
            case REJECTED -> rejected.increment();
            case UNMATCHED -> unmatched.increment();
        }
        // Acknowledge before giving the permit back, so that awaitIdle() means "every ack has fired".
        complete(task.message, task.ack, outcome);
        permits.release();
    }

    private Outcome runRoutes(Task task, List<CompletableFuture<Void>> appends) {
        Outcome total = null;
        for (Match match : task.matches) {
            Outcome o = runRoute(task.message, match, task.sinkStep, appends);
            total = total == null ? o : worse(total, o);
        }
        return total;
    }

    private Outcome runRoute(Message message, Match match, SinkStep sinkStep, List<CompletableFuture<Void>> appends) {
        Route route = match.route();
        ErrorPolicy policy = route.errorPolicy();
        boolean forwards = !route.sinks().isEmpty();
        long start = System.nanoTime();
        Throwable last = null;
        Context ctx = null;
        SinkStep.Terminal terminal = null;
        Outcome outcome = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            attempts = attempt;
            ctx = new Context(message, match, publisher, json);
            ctx.sinks = appender;
            try {
                if (forwards) {
                    terminal = new SinkStep.Terminal(route.handler());
                    boolean reached = Chain.run(route.middleware(), terminal, ctx);
                    // reached but not finished: a middleware swallowed the handler's exception; nothing is forwarded
                    outcome = !reached ? Outcome.FILTERED : terminal.finished != null ? Outcome.HANDLED : Outcome.FAILED;
                } else {
                    outcome = Chain.run(route.middleware(), route.handler(), ctx) ? Outcome.HANDLED : Outcome.FILTERED;
                }
                last = null;
                break;
            } catch (Throwable t) {
                last = t;
                if (t instanceof VirtualMachineError vme) {
                    log.error("route '{}' hit {} on topic '{}'", route.name(), vme, message.topic());
                    break;
                }
                Duration pause = attempt < policy.attempts() ? policy.backoff().delay(attempt) : Duration.ZERO;
                if (!pause.isZero()) {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        List<CompletableFuture<Void>> after = ctx.ackAfterStages();
        if (after != null) appends.addAll(after);  // Context.ackAfter: the ack waits for them, as for sink appends
        if (outcome == null) {
            // the attempts really made: a VirtualMachineError or an interrupt ends the retries early
            try {
                errorHandler.onError(ctx, last, attempts);
            } catch (Throwable t) {
                log.warn("error handler threw on route '{}' topic '{}': {}", route.name(), message.topic(), t.toString());
            }
            outcome = policy.acknowledgeOnFailure() ? Outcome.FAILED : Outcome.REJECTED;
        }
        if (outcome == Outcome.HANDLED && forwards) {
            Context left = terminal.finished;
            sinkStep.append(route, message, () -> Envelope.of(left), start, appends);
            return outcome;
        }
        Outcome finalOutcome = outcome;
        long nanos = System.nanoTime() - start;
        safeListener(() -> listener.onRouteOutcome(route, message, finalOutcome, nanos));
        return outcome;
    }

    private static Outcome worse(Outcome a, Outcome b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(Outcome o) {
        return switch (o) {
            case FILTERED, UNMATCHED -> 0;
            case HANDLED -> 1;
            case FAILED -> 2;
            case REJECTED -> 3;
        };
    }

    private void complete(Message message, Acknowledgement ack, Outcome outcome) {
        try {
            ack.complete(outcome);
        } catch (Throwable t) {
            log.warn("acknowledgement callback threw for topic '{}': {}", message.topic(), t.toString());
        }
        safeListener(() -> listener.onComplete(message, outcome));
    }

    static void safeListener(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            log.warn("dispatch listener threw: {}", t.toString());
        }
    }

    private static void logError(Context ctx, Throwable error, int attempts) {
        if (error instanceof PayloadException) {
            // A bad payload is the sender's problem: its message says everything, a stack trace adds nothing.
            log.warn("route '{}' failed on topic '{}' after {} attempt(s): {}", ctx.route().name(), ctx.topic(), attempts,
                    error.getMessage());
        } else {
            log.warn("route '{}' failed on topic '{}' after {} attempt(s): {}", ctx.route().name(), ctx.topic(), attempts,
                    error.toString(), error);
        }
    }

    /** Counters by outcome, and the messages in flight. */
    public DispatchStats stats() {
        return new DispatchStats(handled.sum(), filtered.sum(), unmatched.sum(), failed.sum(), rejected.sum(),
                maxInFlight - permits.availablePermits());
    }

    /**
     * Waits until no message is in flight.
     *
     * @return true if everything finished within the timeout
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (permits.tryAcquire(maxInFlight, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            permits.release(maxInFlight);
            return true;
        }
        return false;
    }

    /**
     * Stops accepting messages and waits up to {@code timeout} for those in flight to finish.
     *
     * @return true if all in-flight messages finished in time
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        closed.set(true);
        boolean idle;
        try {
            idle = awaitIdle(timeout);
        } finally {
            lanes.close(); // the waiting lane threads end; one still running a lane ends when the lane does
        }
        if (!idle) log.warn("dispatcher closed with {} message(s) still in flight", stats().inFlight());
        return idle;
    }

    /** Same as {@code shutdown(30s)}. */
    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One accepted message, with the routes it matched and the sink step of the table they came from. */
    private record Task(Message message, List<Match> matches, Acknowledgement ack, boolean sinks, SinkStep sinkStep) {
    }

    /** Guarantees a single completion whatever the code paths do. */
    private static final class Once extends AtomicBoolean implements Acknowledgement {
        private static final long serialVersionUID = 1L;
        private final transient Acknowledgement delegate;

        Once(Acknowledgement delegate) {
            this.delegate = delegate;
        }

        @Override
        public void complete(Outcome outcome) {
            if (compareAndSet(false, true)) delegate.complete(outcome);
        }
    }

    /** Builds a {@link Dispatcher}. */
    public static final class Builder {
        private final RouteTable table;
        private Publisher publisher;
        private ErrorHandler errorHandler;
        private DispatchListener listener;
        private ObjectMapper json;
        private int maxInFlight = 1024;
        private String threadName = "routemq-handler";
        private SinkAppender appender;
        private String defaultSession = Message.DEFAULT_SESSION;

        private Builder(RouteTable table) {
            this.table = Objects.requireNonNull(table, "table");
        }

        /** The publisher behind {@link Context#publish}. */
        public Builder publisher(Publisher publisher) {
            this.publisher = publisher;
            return this;
        }

        /** Told about failures after the error policy (default: log at WARN with route and topic). */
        public Builder errorHandler(ErrorHandler handler) {
            this.errorHandler = handler;
            return this;
        }

        /** Observes outcomes (metrics). */
        public Builder listener(DispatchListener listener) {
            this.listener = listener;
            return this;
        }

        /** The JSON mapper for {@link Context#json} (default: a plain {@link JsonMapper}). */
        public Builder json(ObjectMapper json) {
            this.json = json;
            return this;
        }

        /** The most messages in flight at once (default 1024); {@link #dispatch} blocks beyond it. */
        public Builder maxInFlight(int max) {
            if (max < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, got " + max);
            this.maxInFlight = max;
            return this;
        }

        /**
         * Where routes that forward ({@link RouteBuilder#to}) put their messages: the durable queues of the sinks.
         * Required when a route names a sink; every named sink must be one of {@link SinkAppender#sinks()}.
         */
        public Builder sinks(SinkAppender appender) {
            this.appender = Objects.requireNonNull(appender, "appender");
            return this;
        }

        /**
         * The session that routes without {@link RouteBuilder#session(String)} are on (default {@code "default"}).
         * When routes are on more than one session, a message is matched only against the routes of the session it
         * arrived on.
         */
        public Builder defaultSession(String session) {
            this.defaultSession = Objects.requireNonNull(session, "session");
            return this;
        }

        /** The name prefix of handler threads (default {@code routemq-handler}). */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Builds the dispatcher. */
        public Dispatcher build() {
            return new Dispatcher(this);
        }
    }
}
