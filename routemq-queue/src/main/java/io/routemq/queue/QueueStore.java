package io.routemq.queue;

import io.routemq.queue.internal.LocalQueueStore;

import java.util.Set;

/**
 * A set of durable queues, one per sink, each with its dead-letter queue, kept in one data directory.
 *
 * <p>{@link #open(QueueConfig)} takes an exclusive lock on the directory: one process at a time (the gateway, or
 * the {@code routemq dlq} CLI while the gateway is stopped). A second opener gets a {@link QueueLockedException}
 * naming the directory and the holder's pid.
 */
public interface QueueStore extends AutoCloseable {

    /**
     * Opens (creating if needed) the local-disk store: a segment log per sink, recovered after a crash.
     *
     * @param config the configuration
     * @return the open store
     * @throws QueueLockedException    if another process (or this one) has the directory open
     * @throws QueueCorruptedException if a file is damaged beyond a torn tail
     * @throws QueueException          if the directory cannot be created or written (the message names it)
     */
    static QueueStore open(QueueConfig config) {
        return LocalQueueStore.open(config);
    }

    /** @return the configuration */
    QueueConfig config();

    /**
     * Opens (creating if needed) a sink's queue.
     *
     * @param sinkName 1-100 characters from {@code [A-Za-z0-9._-]}, starting with a letter or digit
     * @return the queue
     */
    DurableQueue queue(String sinkName);

    /**
     * Opens (creating if needed) a sink's queue with its own bound and overflow policy instead of the store's. The
     * first open of a sink in this store decides; later calls return the open queue.
     *
     * @param sinkName the sink name, as for {@link #queue(String)}
     * @param maxBytes the most bytes of uncommitted records
     * @param overflow what an append that does not fit does
     * @return the queue
     */
    DurableQueue queue(String sinkName, long maxBytes, OverflowPolicy overflow);

    /**
     * Opens (creating if needed) a sink's dead-letter queue.
     *
     * @param sinkName the sink name
     * @return the dead-letter queue
     */
    DeadLetterQueue deadLetters(String sinkName);

    /** @return the names of the sinks that have data in the directory or are open */
    Set<String> sinks();

    /** Writes the committed offsets, waits for pending appends to become durable, and releases the lock. */
    @Override
    void close();
}
