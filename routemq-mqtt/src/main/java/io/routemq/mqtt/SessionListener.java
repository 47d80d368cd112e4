package io.routemq.mqtt;

/** Receives {@link SessionEvent}s. Called on client threads: must be quick and must not block. */
@FunctionalInterface
public interface SessionListener {
    /** One event. What this throws is logged and ignored. */
    void onEvent(SessionEvent event);
}
