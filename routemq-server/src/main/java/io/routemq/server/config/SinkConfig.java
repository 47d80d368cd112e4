package io.routemq.server.config;

import io.routemq.sink.http.HttpSinkConfig;

import java.time.Duration;

/**
 * One sink ({@code sinks.<name>}): where routes forward to, with its delivery retry and its queue limits. The HTTP
 * settings are the HTTP sink module's own record; the retry and the queue limits are the gateway's.
 *
 * @param name  the key under {@code sinks}; routes refer to it in {@code to}
 * @param http  the HTTP sink (the only sink type so far), as the module builds it
 * @param retry how delivery is retried before a message is dead-lettered
 * @param queue the limits of this sink's durable queue
 */
public record SinkConfig(String name, HttpSinkConfig http, Retry retry, Queue queue) {

    /**
     * Delivery retry. After {@code attempts} failed attempts, or once a message is older than {@code maxAge}, it is
     * dead-lettered (never dropped).
     *
     * @param attempts   attempts in all, 0 for unlimited (default 0)
     * @param backoffMin the first delay (default 500ms)
     * @param backoffMax the largest delay, reached by doubling (default 1m)
     * @param maxAge     how long a message may wait in all, 0 for no limit (default 24h)
     */
    public record Retry(int attempts, Duration backoffMin, Duration backoffMax, Duration maxAge) {
        /** The defaults. */
        public static final Retry DEFAULT = new Retry(0, Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofHours(24));
    }

    /** What a full sink queue does. */
    public enum Overflow {
        /** Delay acknowledgements, so the broker holds the backlog (default). */
        BLOCK,
        /** Move the new message straight to the dead letters. */
        DEAD_LETTER
    }

    /**
     * The sink's share of the durable queue.
     *
     * @param maxBytes the most bytes queued for this sink (default 1GB)
     * @param overflow what happens beyond that (default block)
     */
    public record Queue(long maxBytes, Overflow overflow) {
        /** The defaults. */
        public static final Queue DEFAULT = new Queue(1L << 30, Overflow.BLOCK);
    }
}
