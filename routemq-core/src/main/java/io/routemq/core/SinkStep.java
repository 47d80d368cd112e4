package io.routemq.core;

import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The terminal step of a route that forwards ({@link RouteBuilder#to}): after the middleware and the handler, it
 * issues the message's append to the route's sinks and reports the route's outcome when the append is durable
 * (HANDLED) or has failed (REJECTED).
 */
final class SinkStep {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final SinkAppender appender;
    private final DispatchListener listener;
    private final AtomicLong failures = new AtomicLong();
    /** At most one line per this many nanoseconds: a full disk fails every append, and each would log otherwise. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - 2 * LOG_EVERY_NANOS);

    /** Checks that every sink a route names is one the appender serves. */
    SinkStep(RouteTable table, SinkAppender appender, DispatchListener listener) {
        this.appender = appender;
        this.listener = listener;
        for (Route r : table.routes()) {
            for (String sink : r.sinks()) {
                if (appender == null) {
                    throw new IllegalStateException("route '" + r.name() + "' forwards to sink '" + sink
                            + "', but the dispatcher has no sinks: give its builder a SinkAppender with .sinks(...)");
                }
                if (!appender.sinks().contains(sink)) {
                    throw new IllegalStateException("route '" + r.name() + "' forwards to sink '" + sink
                            + "', which is not configured (configured sinks: " + String.join(", ", new TreeSet<>(appender.sinks())) + ")");
                }
            }
        }
    }

    /** Issues the append and adds its future to {@code appends}. Never throws: a failure is a failed future. */
    void append(Route route, Message message, Supplier<Envelope> envelope, long start, List<CompletableFuture<Void>> appends) {
        CompletableFuture<Void> f;
        try {
            f = Objects.requireNonNull(appender.append(route.sinks(), envelope.get()), "the sink appender returned null");
        } catch (Throwable t) {
            f = CompletableFuture.failedFuture(t);
        }
        appends.add(f);
        f.whenComplete((v, err) -> {
            Outcome o = err == null ? Outcome.HANDLED : Outcome.REJECTED;
            if (err != null) failed(route, message, err);
            long nanos = System.nanoTime() - start;
            Dispatcher.safeListener(() -> listener.onRouteOutcome(route, message, o, nanos));
        });
    }

    private void failed(Route route, Message message, Throwable err) {
        long n = failures.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            Throwable root = err;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            log.error("route '{}': could not durably enqueue the message on topic '{}' for sink(s) {}; it is not acknowledged,"
                            + " so the broker delivers it again ({} failed append(s) so far): {}", route.name(), message.topic(),
                    route.sinks(), n, root.getMessage() != null ? root.getMessage() : root.toString());
        }
    }

    /** The end of a forwarding route's chain: runs the handler (if any), then keeps the context it finished with. */
    static final class Terminal implements Handler {
        private final Handler handler;
        Context finished;

        Terminal(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void handle(Context ctx) throws Exception {
            if (handler != null) handler.handle(ctx);
            finished = ctx;
        }
    }
}
