package io.routemq.queue;

/** The queue directory is in use by another process (or already open in this one). */
public class QueueLockedException extends QueueException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what to do */
    public QueueLockedException(String message) {
        super(message);
    }
}
