package io.routemq.mqtt;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one session.
 *
 * @param name        the session name
 * @param url         the broker URL
 * @param state       the state of the session as a whole
 * @param connections the number of client connections (1, or the most shared-subscription workers)
 * @param ready       how many connections are ready
 * @param lastError   the last connection error, or null
 * @param refused     subscriptions the broker refused at the last (re)subscribe; not empty means not ready
 * @param since       when the state last changed
 * @param stats       the counters
 */
public record SessionStatus(String name, String url, SessionState state, int connections, int ready, MqttException lastError,
                            List<SubscriptionRefusal> refused, Instant since, SessionStats stats) {
    /** Copies the list. */
    public SessionStatus {
        refused = List.copyOf(refused);
    }

    /** Whether every connection is connected with all subscriptions granted. */
    public boolean isReady() {
        return state == SessionState.READY;
    }
}
