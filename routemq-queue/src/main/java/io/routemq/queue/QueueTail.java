package io.routemq.queue;

import io.routemq.queue.internal.SegmentTail;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Follows how far a sink's durable queue has been written, from its files, for a process other than the one that
 * owns the store: a monitor, or the end-to-end bench, whose count of a gateway's progress then costs the gateway
 * nothing.
 *
 * <p>It takes no lock and writes nothing, so it works while the gateway runs. {@link #nextOffset()} is the offset
 * one past the last complete record in the newest segment file: the queue's own next offset, once the append has
 * reached the file. With {@code fsync: interval} or {@code never} an append completes (and the gateway acknowledges
 * the message) right after that write, before the file is forced; with {@code fsync: always} after the force.
 * A record counts only when its frame is complete and its checksum matches, so a write in progress is never counted
 * early. Not seen: a write undone because the disk was full (the owner truncates it; this count does not go back).
 *
 * <pre>{@code
 * try (QueueTail tail = QueueTail.open(Path.of("data/queue"), "warehouse")) {
 *     long written = tail.nextOffset();
 * }
 * }</pre>
 */
public interface QueueTail extends AutoCloseable {

    /**
     * Opens the tail of a sink's queue in a store directory ({@code queue.dir} of the gateway's config). The queue
     * need not exist yet: until its first segment file appears, {@link #nextOffset()} is 0.
     *
     * @param storeDir the store's directory
     * @param sinkName the sink whose queue to follow
     * @return the tail; one caller at a time
     */
    static QueueTail open(Path storeDir, String sinkName) {
        return new SegmentTail(storeDir.resolve(sinkName).resolve("queue"));
    }

    /**
     * Reads what was written since the last call.
     *
     * @return one past the offset of the last complete record written, 0 when none
     * @throws IOException if the queue's directory or newest segment cannot be read
     */
    long nextOffset() throws IOException;

    /** Closes the open segment file. */
    @Override
    void close();
}
