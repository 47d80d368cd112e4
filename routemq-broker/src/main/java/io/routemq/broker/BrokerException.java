package io.routemq.broker;

/**
 * The embedded broker could not start or stop. The message says what was wrong, where and what to do.
 */
public class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what to do */
    public BrokerException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, where, and what to do
     * @param cause   the underlying error
     */
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
