package io.routemq.server.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.routemq.core.Context;
import io.routemq.core.DispatchListener;
import io.routemq.core.Message;
import io.routemq.core.Outcome;
import io.routemq.core.Route;
import io.routemq.middleware.MiddlewareMetrics;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's metrics on Micrometer, named {@code routemq_<area>_<what>_<unit>} with the labels route and sink:
 * messages by route and outcome, route handling time, unmatched messages, sink deliveries, retries and dead letters,
 * and what the shipped middleware did ({@code routemq_middleware_messages_total{middleware, route, result}}).
 */
public final class GatewayMetrics implements DispatchListener, SinkListener, MiddlewareMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
    private final Counter unmatched;

    /** Metrics registered in {@code registry}. */
    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.unmatched = Counter.builder("routemq.messages.unmatched").description("Messages no route matched").register(registry);
    }

    /** The registry. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void onRouteOutcome(Route route, Message message, Outcome outcome, long nanos) {
        // Once per message: one lookup by the route's name (its hash is cached), no key built.
        RouteMeters m = routes.get(route.name());
        if (m == null) m = routes.computeIfAbsent(route.name(), RouteMeters::new);
        m.outcome(outcome).increment();
        m.duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A route's meters: its duration, and a counter per outcome, registered on first use. */
    private final class RouteMeters {
        private final String route;
        private final Timer duration;
        private final AtomicReferenceArray<Counter> outcomes = new AtomicReferenceArray<>(Outcome.values().length);

        RouteMeters(String route) {
            this.route = route;
            this.duration = Timer.builder("routemq.route.duration").description("Time a route's middleware chain and handler took")
                    .tag("route", route).register(registry);
        }

        Counter outcome(Outcome outcome) {
            Counter c = outcomes.get(outcome.ordinal());
            if (c == null) {
                // registering twice returns the same meter, so a race sets the same counter twice
                c = Counter.builder("routemq.messages").description("Messages by route and outcome (handled, filtered, failed, rejected)")
                        .tag("route", route).tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
                outcomes.set(outcome.ordinal(), c);
            }
            return c;
        }
    }

    @Override
    public void record(String middleware, Context ctx, String result) {
        String route = ctx.route().name();
        counters.computeIfAbsent("mw|" + middleware + "|" + route + "|" + result, k -> Counter.builder("routemq.middleware.messages")
                .description("Messages a shipped middleware dropped, delayed, refused, dead-lettered or limited locally, by result")
                .tag("middleware", middleware).tag("route", route).tag("result", result).register(registry)).increment();
    }

    @Override
    public void onUnmatched(Message message) {
        unmatched.increment();
    }

    @Override
    public void delivered(String sink, int count, long nanos) {
        sinkCounter("routemq.sink.delivered", sink, "Messages delivered to the sink").increment(count);
    }

    @Override
    public void retried(String sink, String error) {
        sinkCounter("routemq.sink.retries", sink, "Failed delivery attempts that will be retried").increment();
    }

    @Override
    public void deadLettered(String sink, String error) {
        sinkCounter("routemq.sink.dead.lettered", sink, "Messages moved to the dead-letter queue").increment();
    }

    private Counter sinkCounter(String name, String sink, String description) {
        return counters.computeIfAbsent(name + "|" + sink,
                k -> Counter.builder(name).description(description).tag("sink", sink).register(registry));
    }
}
