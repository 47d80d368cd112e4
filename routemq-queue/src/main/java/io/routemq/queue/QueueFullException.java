package io.routemq.queue;

/**
 * A record was not stored because the queue is at its {@link QueueConfig#maxBytes() bound}: a BLOCK wait timed
 * out, a record or batch can never fit, or a dead-letter replay found no room. The record was NOT enqueued.
 */
public class QueueFullException extends QueueException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what to do */
    public QueueFullException(String message) {
        super(message);
    }
}
