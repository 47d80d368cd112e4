package io.routemq.server.admin;

import java.util.Map;

/**
 * The gateway's health at one moment.
 *
 * @param up      true when every session is ready and every sink's queue accepts messages
 * @param details per component (sessions, queues, broker): a JSON-serialisable map
 */
public record HealthReport(boolean up, Map<String, Object> details) {
    /** Copies the details. */
    public HealthReport {
        details = Map.copyOf(details);
    }
}
