package io.routemq.sink.http;

import java.util.Locale;

/** How a sink with several URLs uses them. */
public enum UrlMode {
    /**
     * Every URL gets every message, each tracked separately: the gateway builds one single-URL sink per URL
     * from {@link HttpSinkConfig#perUrl()}, each with its own durable queue. An {@link HttpSink} itself refuses fanout with
     * more than one URL.
     */
    FANOUT,
    /** Each request goes to the next URL in turn (URLs with an open circuit breaker are skipped). */
    ROUND_ROBIN,
    /** Each request goes to the first URL that works; on a retryable failure the next URL is tried at once. */
    FAILOVER;

    /** Parses {@code fanout}, {@code round-robin} (or {@code roundRobin}) and {@code failover}. */
    public static UrlMode parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace("_", "-");
        return switch (t) {
            case "fanout", "fan-out" -> FANOUT;
            case "round-robin", "roundrobin" -> ROUND_ROBIN;
            case "failover" -> FAILOVER;
            default -> throw new IllegalArgumentException("mode: unknown mode '" + text + "'; use fanout, round-robin or failover");
        };
    }
}
