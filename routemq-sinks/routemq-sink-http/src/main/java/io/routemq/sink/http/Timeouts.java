package io.routemq.sink.http;

import java.time.Duration;

/**
 * Timeouts, per request.
 *
 * @param connect the TCP (and TLS) connect timeout
 * @param request the time from sending a request until the response headers arrive
 */
public record Timeouts(Duration connect, Duration request) {
    /** connect 5s, request 30s. */
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));

    /** Validates both are positive. */
    public Timeouts {
        HttpSinkConfig.positive("timeout.connect", connect);
        HttpSinkConfig.positive("timeout.request", request);
    }
}
