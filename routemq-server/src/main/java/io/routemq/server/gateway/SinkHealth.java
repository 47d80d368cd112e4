package io.routemq.server.gateway;

import io.routemq.core.config.Values;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tracks, per sink queue, since when its deliveries have been failing: from the first failed attempt after the last
 * delivery that succeeded, until the next one succeeds. {@code /health} turns DOWN once that lasts longer than
 * {@code admin.sinkFailureWindow}. Passes every event on to {@code next} (the metrics). Thread-safe.
 */
final class SinkHealth implements SinkListener {
    /** A failing episode: since when (epoch millis), and its latest error. */
    private record Failing(long sinceMillis, String lastError) { }

    private final SinkListener next;
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    SinkHealth(SinkListener next) {
        this.next = next;
    }

    @Override
    public void delivered(String sink, int count, long nanos) {
        failing.remove(sink);
        next.delivered(sink, count, nanos);
    }

    @Override
    public void retried(String sink, String error) {
        long now = System.currentTimeMillis();
        failing.compute(sink, (k, f) -> new Failing(f == null ? now : f.sinceMillis(), error));
        next.retried(sink, error);
    }

    @Override
    public void deadLettered(String sink, String error) {
        next.deadLettered(sink, error);
    }

    /**
     * @return why the sink counts as down: its deliveries have failed for longer than {@code window}, with the last
     *         error; or null
     */
    String failingLongerThan(String sink, Duration window, long nowMillis) {
        Failing f = failing.get(sink);
        if (f == null || nowMillis - f.sinceMillis() <= window.toMillis()) return null;
        long ms = nowMillis - f.sinceMillis();
        return "deliveries have failed for " + Values.formatDuration(ms < 10_000 ? Duration.ofMillis(ms) : Duration.ofSeconds(ms / 1000))
                + " (longer than admin.sinkFailureWindow " + Values.formatDuration(window) + "), last error: " + f.lastError();
    }

    /** @return since when (epoch millis) the sink's deliveries have been failing, or -1 */
    long failingSince(String sink) {
        Failing f = failing.get(sink);
        return f == null ? -1 : f.sinceMillis();
    }
}
