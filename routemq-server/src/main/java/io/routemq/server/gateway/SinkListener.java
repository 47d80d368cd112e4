package io.routemq.server.gateway;

/** Observes delivery workers, for metrics. Implementations must be thread-safe and must not throw. */
public interface SinkListener {
    /** Envelopes delivered by one call to the sink. */
    default void delivered(String sink, int count, long nanos) {
    }

    /** One envelope failed an attempt and will be retried. */
    default void retried(String sink, String error) {
    }

    /** One envelope went to the dead-letter queue. */
    default void deadLettered(String sink, String error) {
    }
}
