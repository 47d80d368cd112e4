package io.routemq.core;

/**
 * Told once, when the dispatcher has finished with a message: handled, filtered, unmatched, failed after the error
 * policy, or rejected. The MQTT layer sends PUBACK (or completes the QoS 2 flow) from here when
 * {@link Outcome#acknowledge()} is true. The dispatcher guarantees exactly one call per dispatched message.
 */
@FunctionalInterface
public interface Acknowledgement {
    /** The message is finished with this outcome. Must not block for long; must not throw. */
    void complete(Outcome outcome);

    /** An acknowledgement that does nothing. */
    static Acknowledgement none() {
        return outcome -> { };
    }
}
