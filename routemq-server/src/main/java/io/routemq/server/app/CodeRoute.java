package io.routemq.server.app;

import io.routemq.core.Route;

import java.util.List;

/**
 * A route an application defines in code, as {@code routemq routes} and {@code routemq check} list it.
 *
 * @param name    the route's name
 * @param session the broker session it subscribes on, or null for the default one
 * @param topic   its topic pattern
 * @param qos     its subscription QoS
 * @param shared  the shared-subscription group, or null
 * @param workers shared connections (1 when not shared)
 * @param sinks   the sinks it forwards to
 * @param source  where it is defined: {@code class#method} for a controller method, else the route file's class
 */
public record CodeRoute(String name, String session, String topic, int qos, String shared, int workers, List<String> sinks,
                        String source) {
    /** Copies the list. */
    public CodeRoute {
        sinks = List.copyOf(sinks);
    }

    static CodeRoute of(Route r, String fileSource) {
        return new CodeRoute(r.name(), r.session(), r.pattern().pattern(), r.qos(), r.sharedGroup(), r.workers(), r.sinks(),
                r.source() != null ? r.source() : fileSource);
    }
}
