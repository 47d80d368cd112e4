package io.routemq.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link QueueStore}; build one with {@link #builder(Path)}. Every sink's queue in the store
 * uses the same settings.
 *
 * @param dir            data directory (created if missing); one sub-directory per sink
 * @param segmentBytes   size at which a segment file is rolled (default 64 MB)
 * @param maxBytes       bound on the uncommitted bytes of one sink's queue (record frames, default 1 GB);
 *                       disk use of a sink's queue stays below {@code maxBytes + segmentBytes}
 * @param overflowPolicy what happens when the bound is reached (default {@link OverflowPolicy#BLOCK})
 * @param blockTimeout   how long a BLOCKed append waits before failing with {@link QueueFullException};
 *                       {@link Duration#ZERO} waits until space frees (default)
 * @param fsync          when records are forced to disk (default {@link FsyncPolicy#always()})
 * @param listener       metrics hook (default {@link QueueListener#NONE})
 */
public record QueueConfig(Path dir, long segmentBytes, long maxBytes, OverflowPolicy overflowPolicy,
                          Duration blockTimeout, FsyncPolicy fsync, QueueListener listener) {

    /** Default segment size: 64 MB. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    /** Default bound per sink: 1 GB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** Smallest accepted segment size. */
    public static final long MIN_SEGMENT_BYTES = 1024;

    /** Validates the components. */
    public QueueConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(listener, "listener");
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("queue segmentBytes must be between " + MIN_SEGMENT_BYTES + " and "
                    + Integer.MAX_VALUE + " bytes, got " + segmentBytes);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("queue maxBytes must be positive, got " + maxBytes);
        }
        if (blockTimeout.isNegative()) {
            throw new IllegalArgumentException("queue blockTimeout must not be negative, got " + blockTimeout);
        }
    }

    /**
     * @param dir the data directory
     * @return a builder with the defaults
     */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** @return a builder initialised from this configuration */
    public Builder toBuilder() {
        return new Builder(dir).segmentBytes(segmentBytes).maxBytes(maxBytes).overflowPolicy(overflowPolicy)
                .blockTimeout(blockTimeout).fsync(fsync).listener(listener);
    }

    /** Builder of {@link QueueConfig}. */
    public static final class Builder {
        private Path dir;
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK;
        private Duration blockTimeout = Duration.ZERO;
        private FsyncPolicy fsync = FsyncPolicy.always();
        private QueueListener listener = QueueListener.NONE;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** @param dir data directory @return this */
        public Builder dir(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** @param segmentBytes segment roll size in bytes @return this */
        public Builder segmentBytes(long segmentBytes) {
            this.segmentBytes = segmentBytes;
            return this;
        }

        /** @param maxBytes bound on uncommitted bytes per sink @return this */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** @param overflowPolicy BLOCK or DEAD_LETTER @return this */
        public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
            this.overflowPolicy = overflowPolicy;
            return this;
        }

        /** @param blockTimeout BLOCK wait limit, {@link Duration#ZERO} for none @return this */
        public Builder blockTimeout(Duration blockTimeout) {
            this.blockTimeout = blockTimeout;
            return this;
        }

        /** @param fsync fsync policy @return this */
        public Builder fsync(FsyncPolicy fsync) {
            this.fsync = fsync;
            return this;
        }

        /** @param listener metrics hook @return this */
        public Builder listener(QueueListener listener) {
            this.listener = listener;
            return this;
        }

        /** @return the validated configuration */
        public QueueConfig build() {
            return new QueueConfig(dir, segmentBytes, maxBytes, overflowPolicy, blockTimeout, fsync, listener);
        }
    }
}
