package io.routemq.sink.http.internal;

import java.net.URI;
import java.util.concurrent.Semaphore;

/**
 * One target URL with its own in-flight limit and circuit breaker.
 *
 * @param uri        the URL actually requested (no user info)
 * @param display    the credential-free form for logs and errors
 * @param authHeader the Authorization header value, or null
 * @param maxInFlight the most concurrent requests
 * @param permits    the max-in-flight semaphore
 * @param breaker    the circuit breaker
 *
 * <p>Public only because {@code io.routemq.sink.http.HttpSink}, in this module, uses it; not API: other modules must
 * not use it.
 */
public record Endpoint(URI uri, String display, String authHeader, int maxInFlight, Semaphore permits, CircuitBreaker breaker) {

    @Override
    public String toString() {
        return "Endpoint[" + display + "]";
    }
}
