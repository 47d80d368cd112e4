package io.routemq.core;

/**
 * Observes the dispatcher, for metrics and tracing. Called on handler threads; implementations must be fast,
 * thread-safe and must not throw.
 */
public interface DispatchListener {
    /** A route finished one message. {@code nanos} is the time its chain took, retries included. */
    default void onRouteOutcome(Route route, Message message, Outcome outcome, long nanos) {
    }

    /** No route matched the message. */
    default void onUnmatched(Message message) {
    }

    /** A message is finished; {@code outcome} is what its acknowledgement callback received. */
    default void onComplete(Message message, Outcome outcome) {
    }
}
