package io.routemq.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The durable queue ({@code queue:}) that holds messages between the acknowledgement to the broker and the delivery
 * to a sink.
 *
 * @param dir           the directory (default ./data/queue)
 * @param fsync         when appends are forced to disk (default interval)
 * @param fsyncInterval the interval for {@code fsync: interval} (default 10ms)
 * @param segmentSize   the size of one segment file (default 64MB)
 * @param maxBytes      the most bytes queued in all, 0 for no limit (default 1GB)
 * @param overflow      what a full queue does (block: delay acknowledgements, so the broker holds the backlog)
 */
public record QueueConfig(Path dir, Fsync fsync, Duration fsyncInterval, long segmentSize, long maxBytes, Overflow overflow) {

    /** When appends are forced to disk. */
    public enum Fsync {
        /** Before each acknowledgement: survives power loss. */
        ALWAYS,
        /** Every {@code fsyncInterval}: survives a crash of the process; power loss may cost the last interval. */
        INTERVAL,
        /** Left to the operating system. */
        NEVER
    }

    /** What a full queue does. */
    public enum Overflow {
        /** Delay acknowledgements until there is room. */
        BLOCK
    }

    /** The defaults. */
    public static QueueConfig defaults() {
        return new QueueConfig(Path.of("./data/queue"), Fsync.INTERVAL, java.time.Duration.ofMillis(10), 64L << 20, 1L << 30, Overflow.BLOCK);
    }
}
