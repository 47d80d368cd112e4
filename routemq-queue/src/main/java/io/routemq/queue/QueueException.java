package io.routemq.queue;

/** Base class of the queue's errors (unchecked). Messages name the sink, the path and what to do. */
public class QueueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what to do */
    public QueueException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying error
     */
    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
