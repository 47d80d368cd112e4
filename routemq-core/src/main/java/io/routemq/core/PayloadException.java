package io.routemq.core;

/** A payload that cannot be read as asked (for example, not valid JSON). The message names the topic and the route. */
public final class PayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A payload error with its cause. */
    public PayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
