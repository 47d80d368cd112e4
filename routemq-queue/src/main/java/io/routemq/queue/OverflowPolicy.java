package io.routemq.queue;

/**
 * What a {@link DurableQueue} does with a new record when its {@link QueueConfig#maxBytes() bound} is reached.
 * Neither policy drops a record silently.
 */
public enum OverflowPolicy {
    /**
     * The append's future does not complete until delivery commits enough records to make room (records are
     * admitted in FIFO order). The gateway therefore withholds the MQTT acknowledgement and the broker keeps
     * the backlog. With {@link QueueConfig#blockTimeout()} set, the future fails with a
     * {@link QueueFullException} once the timeout passes; the record is then not stored.
     */
    BLOCK,
    /**
     * A record that does not fit goes straight to the sink's {@link DeadLetterQueue}; its future completes with
     * {@link DurableQueue#DEAD_LETTERED} once the dead letter is durable.
     */
    DEAD_LETTER
}
