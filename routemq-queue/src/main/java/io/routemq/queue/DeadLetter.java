package io.routemq.queue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be delivered to its sink, kept in the sink's {@link DeadLetterQueue}.
 *
 * @param id              id within the sink's dead-letter queue (increasing, never reused)
 * @param sink            the sink name
 * @param originalOffset  the record's offset in the sink's queue, or {@code -1} if it never got one
 *                        (diverted by {@link OverflowPolicy#DEAD_LETTER})
 * @param payload         the record's bytes; do not modify
 * @param lastError       the last delivery error (or the overflow reason)
 * @param attempts        delivery attempts made (0 for overflow)
 * @param firstFailureAt  time of the first failed attempt
 * @param lastFailureAt   time of the last failed attempt
 * @param deadLetteredAt  time the record was stored in the dead-letter queue
 */
public record DeadLetter(long id, String sink, long originalOffset, byte[] payload, String lastError, int attempts,
                         Instant firstFailureAt, Instant lastFailureAt, Instant deadLetteredAt) {

    /** Validates the components. */
    public DeadLetter {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(firstFailureAt, "firstFailureAt");
        Objects.requireNonNull(lastFailureAt, "lastFailureAt");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && d.id == id && d.sink.equals(sink) && d.originalOffset == originalOffset
                && Arrays.equals(d.payload, payload) && d.lastError.equals(lastError) && d.attempts == attempts
                && d.firstFailureAt.equals(firstFailureAt) && d.lastFailureAt.equals(lastFailureAt)
                && d.deadLetteredAt.equals(deadLetteredAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, sink, originalOffset, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "DeadLetter[id=" + id + ", sink=" + sink + ", originalOffset=" + originalOffset + ", payload="
                + payload.length + " bytes, lastError=" + lastError + ", attempts=" + attempts + ", firstFailureAt="
                + firstFailureAt + ", lastFailureAt=" + lastFailureAt + ", deadLetteredAt=" + deadLetteredAt + "]";
    }
}
