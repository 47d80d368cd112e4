package io.routemq.server.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's health, or its readiness, at one moment.
 *
 * @param up      true when healthy ({@code /health}) or ready ({@code /ready}): the endpoint answers 200, else 503
 * @param details per component (sessions, queues, broker) and the {@code reasons} when not up: a JSON-serialisable map
 */
public record HealthReport(boolean up, Map<String, Object> details) {
    /** Copies the details, keeping their order. */
    public HealthReport {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
