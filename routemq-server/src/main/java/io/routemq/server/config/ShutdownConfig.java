package io.routemq.server.config;

import java.time.Duration;

/**
 * Shutdown ({@code shutdown:}).
 *
 * @param timeout how long in-flight messages may take to finish before the gateway stops anyway (default 30s)
 */
public record ShutdownConfig(Duration timeout) {
    /** The defaults. */
    public static final ShutdownConfig DEFAULT = new ShutdownConfig(Duration.ofSeconds(30));
}
