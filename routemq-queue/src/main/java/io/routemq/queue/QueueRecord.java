package io.routemq.queue;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record read from a {@link DurableQueue}.
 *
 * @param offset           the record's offset; offsets increase monotonically and survive restarts
 * @param payload          the opaque bytes given to {@link DurableQueue#append(byte[])}; do not modify
 * @param appendedAtMillis wall-clock time (epoch millis) at which the writer stored the record
 */
public record QueueRecord(long offset, byte[] payload, long appendedAtMillis) {

    /** Validates the components. */
    public QueueRecord {
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueRecord r && r.offset == offset && r.appendedAtMillis == appendedAtMillis
                && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "QueueRecord[offset=" + offset + ", payload=" + payload.length + " bytes, appendedAtMillis="
                + appendedAtMillis + "]";
    }
}
