package io.routemq.queue;

/** The queue store was closed (or failed) before the operation could complete. */
public class QueueClosedException extends QueueException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what to do */
    public QueueClosedException(String message) {
        super(message);
    }
}
