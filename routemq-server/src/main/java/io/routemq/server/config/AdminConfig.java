package io.routemq.server.config;

import java.time.Duration;

/**
 * The admin HTTP server ({@code admin:}): health, metrics, API, dashboard.
 *
 * @param enabled           whether it runs (default true)
 * @param bind              the address (default 127.0.0.1)
 * @param port              the port (default 9090; 0 picks a free port)
 * @param sinkFailureWindow how long a sink's deliveries may keep failing (no delivery succeeding) before
 *                          {@code /health} reports DOWN (default 5m)
 */
public record AdminConfig(boolean enabled, String bind, int port, Duration sinkFailureWindow) {
    /** The default of {@link #sinkFailureWindow()}. */
    public static final Duration DEFAULT_SINK_FAILURE_WINDOW = Duration.ofMinutes(5);

    /** The defaults. */
    public static final AdminConfig DEFAULT = new AdminConfig(true, "127.0.0.1", 9090, DEFAULT_SINK_FAILURE_WINDOW);

    /** An admin server with the default {@link #sinkFailureWindow()}. */
    public AdminConfig(boolean enabled, String bind, int port) {
        this(enabled, bind, port, DEFAULT_SINK_FAILURE_WINDOW);
    }
}
