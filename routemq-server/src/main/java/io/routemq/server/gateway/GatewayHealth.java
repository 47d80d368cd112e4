package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.mqtt.SessionManager;
import io.routemq.mqtt.SessionStatus;
import io.routemq.server.admin.HealthReport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /health} and {@code /ready} report for a running gateway (docs/gateway.md, "Health and readiness").
 *
 * <ul>
 *   <li><b>health</b> is DOWN when a session is not ready, a delivery worker stopped, a sink's queue refuses appends
 *       (the disk is full, or a write failed), or a sink's deliveries have failed for longer than
 *       {@code admin.sinkFailureWindow}. Each cause is one line of {@code reasons}.</li>
 *   <li><b>ready</b> (for load balancers) is true once the gateway has started, while it is not shutting down, every
 *       session is connected and subscribed, and every sink's queue accepts appends; a sink that is down does not
 *       make the gateway unready, because its messages are still taken and queued.</li>
 * </ul>
 */
final class GatewayHealth {
    private GatewayHealth() {
    }

    static HealthReport health(SessionManager sessions, List<DeliveryWorker> workers, SinkHealth sinks, Duration window,
                               EmbeddedBroker broker) {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        details.put("sessions", sessions(sessions, reasons));
        long now = System.currentTimeMillis();
        Map<String, Object> q = new LinkedHashMap<>();
        for (DeliveryWorker w : workers) {
            String name = w.queue().name();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("queued", w.queue().sizeRecords());
            one.put("deadLetters", w.queue().deadLetters().size());
            // progress: every message ever queued for the sink has an offset below nextOffset; delivered (or
            // dead-lettered) up to committedOffset
            one.put("nextOffset", w.queue().nextOffset());
            one.put("committedOffset", w.queue().committedOffset());
            Optional<String> refused = w.queue().appendsRefused();
            if (refused.isPresent()) {
                one.put("appendsRefused", refused.get());
                reasons.add("sink '" + name + "': its queue refuses new messages (they stay unacknowledged at the broker): " + refused.get());
            }
            long since = sinks.failingSince(name);
            if (since >= 0) one.put("failingSince", Instant.ofEpochMilli(since).toString());
            String failing = sinks.failingLongerThan(name, window, now);
            if (failing != null) {
                one.put("deliveryFailing", failing);
                reasons.add("sink '" + name + "': " + failing);
            }
            if (w.failure() != null) {
                one.put("workerStopped", w.failure());
                reasons.add("sink '" + name + "': its delivery worker stopped: " + w.failure());
            }
            q.put(name, one);
        }
        details.put("queues", q);
        if (broker != null) details.put("embeddedBroker", broker.listeners().stream().map(Object::toString).toList());
        if (!reasons.isEmpty()) details.put("reasons", reasons);
        return new HealthReport(reasons.isEmpty(), details);
    }

    static HealthReport readiness(boolean started, boolean stopping, SessionManager sessions, List<DeliveryWorker> workers) {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        if (!started) reasons.add("the gateway is starting");
        if (stopping) reasons.add("the gateway is shutting down");
        Map<String, Object> s = new LinkedHashMap<>();
        if (sessions != null) {
            for (SessionStatus st : sessions.statuses()) {
                s.put(st.name(), st.state().name());
                if (!st.isReady()) reasons.add("session '" + st.name() + "' is " + st.state().name() + ", not connected and subscribed");
            }
        }
        details.put("sessions", s);
        for (DeliveryWorker w : workers) {
            w.queue().appendsRefused().ifPresent(r -> reasons.add("sink '" + w.queue().name() + "': its queue refuses new messages: " + r));
        }
        if (!reasons.isEmpty()) details.put("reasons", reasons);
        return new HealthReport(reasons.isEmpty(), details);
    }

    private static Map<String, Object> sessions(SessionManager sessions, List<String> reasons) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (sessions == null) return s;
        for (SessionStatus st : sessions.statuses()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("url", st.url());
            one.put("state", st.state().name());
            if (st.lastError() != null) one.put("lastError", st.lastError().getMessage());
            if (!st.refused().isEmpty()) one.put("refusedSubscriptions", st.refused().stream().map(Object::toString).toList());
            if (!st.isReady()) reasons.add("session '" + st.name() + "' is " + st.state().name()
                    + (st.lastError() != null ? ": " + st.lastError().getMessage() : ""));
            s.put(st.name(), one);
        }
        return s;
    }
}
