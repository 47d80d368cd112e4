package io.routemq.core;

/**
 * How the dispatcher finished with one message. Every message ends in exactly one outcome, reported once to its
 * acknowledgement callback.
 */
public enum Outcome {
    /** Every route it was delivered to ran its handler to the end. Acknowledge. */
    HANDLED,
    /** A middleware did not call {@code next}. Acknowledge. */
    FILTERED,
    /** No route matches the topic. Acknowledge (counted, logged at debug). */
    UNMATCHED,
    /** A handler or middleware failed and the route's {@link ErrorPolicy} gave up; the failure was counted. Acknowledge. */
    FAILED,
    /**
     * The message was not processed and must not be acknowledged, so that the broker delivers it again
     * (the route's policy is {@link ErrorPolicy#redeliver()}, or the dispatcher was closed).
     */
    REJECTED;

    /** Whether the transport should acknowledge (PUBACK/PUBREC) the message. */
    public boolean acknowledge() {
        return this != REJECTED;
    }
}
