package io.routemq.mqtt;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a session. {@link Type#wireName()} gives the names used in logs and by mqttx users
 * ({@code session_connected} ...).
 *
 * @param type          what happened
 * @param session       the session name
 * @param connection    the connection index within the session (0; 1..N-1 for extra shared-subscription workers)
 * @param time          when
 * @param state         the session state after the event
 * @param previousState the state before, for {@link Type#STATE_CHANGED}; else null
 * @param attempt       the reconnect attempt (from 1) for {@link Type#RECONNECTING}; else 0
 * @param delay         the delay before that attempt, for {@link Type#RECONNECTING}; else null
 * @param cause         the error, for {@link Type#DISCONNECTED} and {@link Type#SUBSCRIPTION_REFUSED}; else null
 * @param detail        a human-readable detail (session present, filter, ...), or null
 */
public record SessionEvent(Type type, String session, int connection, Instant time, SessionState state, SessionState previousState,
                           int attempt, Duration delay, MqttException cause, String detail) {

    /** Event types. */
    public enum Type {
        /** A connect attempt started. */
        CONNECTING("session_connecting"),
        /** CONNACK accepted. The detail says whether the broker had a session. */
        CONNECTED("session_connected"),
        /** Every connection of the session is connected with all subscriptions granted. */
        READY("session_ready"),
        /** A connection was lost or a connect attempt failed; {@link #cause()} says why. */
        DISCONNECTED("session_disconnected"),
        /** A reconnect is scheduled; {@link #attempt()} and {@link #delay()} say which and when. */
        RECONNECTING("session_reconnecting"),
        /** The session was added to the manager. */
        ADDED("session_added"),
        /** The session was removed from the manager. */
        REMOVED("session_removed"),
        /** The session's state changed. */
        STATE_CHANGED("session_state_changed"),
        /** The broker refused a subscription (an error event); the session is not ready. */
        SUBSCRIPTION_REFUSED("session_subscription_refused");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** The snake_case name, such as {@code session_connected}. */
        public String wireName() {
            return wireName;
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(type.wireName).append(" session=").append(session);
        if (connection > 0) b.append(" connection=").append(connection);
        b.append(" state=").append(state);
        if (previousState != null) b.append(" previous=").append(previousState);
        if (attempt > 0) b.append(" attempt=").append(attempt);
        if (delay != null) b.append(" delay=").append(delay.toMillis()).append("ms");
        if (detail != null) b.append(" ").append(detail);
        if (cause != null) b.append(" cause=").append(cause.getMessage());
        return b.toString();
    }
}
