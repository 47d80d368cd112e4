package io.routemq.queue;

/**
 * A record was not stored because the file system of the queue has no space left (or the disk quota is used up).
 * The record was NOT enqueued. The queue keeps deleting delivered segments meanwhile and accepts appends again by
 * itself once space is back; no restart is needed.
 */
public class QueueNoSpaceException extends QueueException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying I/O error
     */
    public QueueNoSpaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
