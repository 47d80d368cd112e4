package io.routemq.core.sink;

import java.time.Duration;
import java.util.Objects;

/** What a {@link Sink} did with one envelope. */
public sealed interface DeliveryResult {

    /** Delivered; the envelope may be removed from the queue. */
    record Delivered() implements DeliveryResult {
    }

    /**
     * Not delivered, worth another try (a 5xx, 408, 429 or connection error for HTTP).
     *
     * @param error      what went wrong, for logs and the dead-letter record
     * @param retryAfter the earliest retry the destination asked for (HTTP Retry-After), or null
     */
    record Retry(String error, Duration retryAfter) implements DeliveryResult {
        /** Validates the error text. */
        public Retry {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Refused for good (a 4xx other than 408/429 for HTTP): goes to the dead-letter queue with this error.
     *
     * @param error what went wrong
     */
    record Reject(String error) implements DeliveryResult {
        /** Validates the error text. */
        public Reject {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The shared success result. */
    DeliveryResult DELIVERED = new Delivered();

    /** A retry without a requested delay. */
    static DeliveryResult retry(String error) {
        return new Retry(error, null);
    }

    /** A permanent refusal. */
    static DeliveryResult reject(String error) {
        return new Reject(error);
    }
}
