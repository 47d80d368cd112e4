package io.routemq.middleware;

import io.routemq.core.Context;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link MiddlewareMetrics} kept in memory, by middleware and result (all routes together): for applications
 * without a metrics registry, and for tests.
 */
public final class MiddlewareCounters implements MiddlewareMetrics {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void record(String middleware, Context ctx, String result) {
        counts.computeIfAbsent(middleware + "." + result, k -> new LongAdder()).increment();
    }

    /**
     * @param middleware the middleware's name, e.g. {@code rateLimit}
     * @param result     the result, e.g. {@code dropped}
     * @return how many messages had it so far
     */
    public long count(String middleware, String result) {
        LongAdder a = counts.get(middleware + "." + result);
        return a == null ? 0 : a.sum();
    }

    /** @return every count so far, keyed {@code middleware.result} */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "MiddlewareCounters" + snapshot();
    }
}
