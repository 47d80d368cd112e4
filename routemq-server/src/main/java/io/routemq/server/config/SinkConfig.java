package io.routemq.server.config;

import io.routemq.sink.http.HttpSinkConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * One sink ({@code sinks.<name>}): where routes forward to, with its delivery retry and its queue limits. The sink's
 * {@link Type} holds its own settings (an HTTP sink's are the HTTP sink module's own record); the retry and the queue
 * limits are the gateway's.
 *
 * @param name  the key under {@code sinks}; routes refer to it in {@code to}
 * @param type  what the sink is: {@code http: {...}} or {@code discard: {}}
 * @param retry how delivery is retried before a message is dead-lettered
 * @param queue the limits of this sink's durable queue
 */
public record SinkConfig(String name, Type type, Retry retry, Queue queue) {

    /** Validates the parts. */
    public SinkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(queue, "queue");
    }

    /** An HTTP sink ({@code http: {...}}). */
    public SinkConfig(String name, HttpSinkConfig http, Retry retry, Queue queue) {
        this(name, new Http(http), retry, queue);
    }

    /** The HTTP sink's settings, or null when this sink is of another type. */
    public HttpSinkConfig http() {
        return type instanceof Http h ? h.config() : null;
    }

    /** What a sink is; its key in the config names it. */
    public sealed interface Type permits Http, Discard {
    }

    /**
     * {@code http: {...}}: POSTs (or PUTs, PATCHes) messages to URLs.
     *
     * @param config the HTTP sink module's own record
     */
    public record Http(HttpSinkConfig config) implements Type {
        /** Validates the config. */
        public Http {
            Objects.requireNonNull(config, "config");
        }
    }

    /**
     * {@code discard: {}}: accepts every message the queue hands it and drops it, counted as delivered. For trying
     * routes before their destination exists, for draining a queue on purpose, and for measuring the gateway up to
     * and through the durable queue without a destination's cost. It takes no settings.
     */
    public record Discard() implements Type {
    }

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
