package io.routemq.sink.http;

import java.time.Duration;

/**
 * The per-URL circuit breaker: it opens after {@code failures} consecutive retryable failures (connection errors,
 * timeouts, 5xx, 408, 429), and after {@code openFor} lets one trial request through (half-open); a success closes
 * it, a failure opens it again.
 *
 * @param failures consecutive failures that open it; 0 turns the breaker off
 * @param openFor  how long it stays open before the trial request
 */
public record CircuitBreakerSettings(int failures, Duration openFor) {
    /** 5 failures, open for 30s. */
    public static final CircuitBreakerSettings DEFAULT = new CircuitBreakerSettings(5, Duration.ofSeconds(30));

    /** Validates the values. */
    public CircuitBreakerSettings {
        if (failures < 0) throw new IllegalArgumentException("circuitBreaker.failures: " + failures + " is negative; use 0 to turn the breaker off");
        HttpSinkConfig.positive("circuitBreaker.openFor", openFor);
    }
}
