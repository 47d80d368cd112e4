package io.routemq.server.config;

/**
 * The admin HTTP server ({@code admin:}): health, metrics, API, dashboard.
 *
 * @param enabled whether it runs (default true)
 * @param bind    the address (default 127.0.0.1)
 * @param port    the port (default 9090; 0 picks a free port)
 */
public record AdminConfig(boolean enabled, String bind, int port) {
    /** The defaults. */
    public static final AdminConfig DEFAULT = new AdminConfig(true, "127.0.0.1", 9090);
}
