package io.routemq.queue;

/**
 * Metrics hook. The gateway maps these callbacks onto Micrometer; the queue itself has no metrics dependency.
 * Callbacks run on the queue's writer or caller threads: keep them fast and never block or throw.
 */
public interface QueueListener {

    /** A listener that ignores everything. */
    QueueListener NONE = new QueueListener() { };

    /**
     * Records became durable (and readable) in a sink's queue.
     *
     * @param sink    sink name
     * @param records number of records
     * @param bytes   payload bytes
     */
    default void appended(String sink, int records, long bytes) { }

    /**
     * One write batch was forced to disk (group commit). Called for every batch under {@link FsyncPolicy#always()},
     * for each periodic force under {@link FsyncPolicy#interval}.
     *
     * @param sink       sink name ({@code "<sink>/dlq"} for the dead-letter log)
     * @param records    records covered by this force
     * @param bytes      bytes covered by this force
     * @param fsyncNanos time spent in {@code force}
     */
    default void fsynced(String sink, int records, long bytes, long fsyncNanos) { }

    /**
     * Delivery committed up to an offset.
     *
     * @param sink            sink name
     * @param offsetInclusive the new committed offset
     */
    default void committed(String sink, long offsetInclusive) { }

    /**
     * An append found the queue at its bound.
     *
     * @param sink   sink name
     * @param policy the policy applied
     */
    default void overflow(String sink, OverflowPolicy policy) { }

    /**
     * A record was stored in the sink's dead-letter queue.
     *
     * @param sink   sink name
     * @param reason the error recorded with it
     */
    default void deadLettered(String sink, String reason) { }
}
