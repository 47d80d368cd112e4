package io.routemq.sink.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Batching: one request carries a JSON array of up to {@code size} envelopes (envelope format).
 *
 * @param size   the most envelopes per request; 1 means one request per message
 * @param linger how long the delivery worker may wait to fill a batch
 */
public record Batch(int size, Duration linger) {
    /** No batching. */
    public static final Batch OFF = new Batch(1, Duration.ZERO);
    /** The linger used when only a size is given. */
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(100);

    /** Validates the values. */
    public Batch {
        if (size < 1 || size > HttpSinkConfig.MAX_BATCH) throw new IllegalArgumentException("batch.size: " + size + " is out of range 1.." + HttpSinkConfig.MAX_BATCH + " (1 = no batching)");
        Objects.requireNonNull(linger, "batch.linger");
        if (linger.isNegative()) throw new IllegalArgumentException("batch.linger: " + linger + " is negative");
    }

    /** Whether requests carry more than one envelope. */
    public boolean enabled() {
        return size > 1;
    }
}
