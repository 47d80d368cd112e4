package io.routemq.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * When the queue forces written records to disk, and therefore when an append is acknowledged.
 *
 * <ul>
 *   <li>{@link #always()} (default): group commit. The writer thread writes every pending append in one batch,
 *       calls {@code FileChannel.force} once, then completes all their futures. An acknowledged record survives
 *       a process kill and a power loss.</li>
 *   <li>{@link #interval(Duration)}: appends are acknowledged once written to the OS page cache and the file is
 *       forced at most every {@code interval}. Survives {@code kill -9}; a power loss may lose up to one
 *       interval of acknowledged records.</li>
 *   <li>{@link #never()}: no force at all (tests, throw-away data). Survives {@code kill -9} only.</li>
 * </ul>
 *
 * @param mode     the policy kind
 * @param interval for {@link Mode#INTERVAL} the maximum time between two forces; {@link Duration#ZERO} otherwise
 */
public record FsyncPolicy(Mode mode, Duration interval) {

    /** The kind of fsync policy. */
    public enum Mode {
        /** Group commit: force before acknowledging. */
        ALWAYS,
        /** Force periodically, acknowledge after the write. */
        INTERVAL,
        /** Never force. */
        NEVER
    }

    /** Validates the components. */
    public FsyncPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(interval, "interval");
        if (mode == Mode.INTERVAL && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("fsync interval must be positive, got " + interval);
        }
        if (mode != Mode.INTERVAL && !interval.isZero()) {
            throw new IllegalArgumentException("an fsync interval only applies to mode INTERVAL, got " + mode);
        }
    }

    /** @return group commit: one force per batch, acknowledge after the force (the default) */
    public static FsyncPolicy always() {
        return new FsyncPolicy(Mode.ALWAYS, Duration.ZERO);
    }

    /**
     * @param interval maximum time between two forces, e.g. 10ms
     * @return acknowledge after the write, force periodically
     */
    public static FsyncPolicy interval(Duration interval) {
        return new FsyncPolicy(Mode.INTERVAL, interval);
    }

    /** @return never force (tests only) */
    public static FsyncPolicy never() {
        return new FsyncPolicy(Mode.NEVER, Duration.ZERO);
    }

    @Override
    public String toString() {
        return mode == Mode.INTERVAL ? "interval(" + interval.toMillis() + "ms)" : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
