package io.routemq.mqtt;

/** The state of a session (all of its connections taken together). */
public enum SessionState {
    /** Added, not started. */
    NEW,
    /** A connect attempt is under way. */
    CONNECTING,
    /** Connected; subscriptions are pending, or one was refused (see {@link SessionStatus#refused()}). */
    CONNECTED,
    /** Connected with every subscription granted: messages flow. */
    READY,
    /** The connection was lost; waiting to reconnect. */
    RECONNECTING,
    /** Disconnected and not reconnecting. */
    DISCONNECTED,
    /** Stopped for good (disconnected by the application or removed). */
    STOPPED
}
