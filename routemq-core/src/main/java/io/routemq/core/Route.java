package io.routemq.core;

import java.util.List;
import java.util.Objects;

/**
 * One registered route, as the {@link Router} built it: immutable.
 *
 * @param index         registration order, from 0; breaks ties between equally specific routes
 * @param name          the route's name (its full pattern unless {@link RouteBuilder#name(String)} set one)
 * @param pattern       the full pattern, group prefixes included
 * @param handler       the handler, or null for a route that only forwards ({@link Router#forward(String)})
 * @param middleware    the whole chain in run order: global, then groups outer to inner, then the route's own
 * @param sinks         the sinks the message is forwarded to once the handler has finished (durably, before the
 *                      acknowledgement); empty for a route that only runs code
 * @param qos           the subscription QoS, 0 to 2
 * @param sharedGroup   the shared-subscription group, or null
 * @param workers       how many shared-subscription workers (1 when not shared)
 * @param excludes      topics matching any of these patterns are not delivered to this route
 * @param fanout        true to receive every matching message even when a more specific route also matches
 * @param ordered       true (default) to handle messages of one topic in arrival order
 * @param errorPolicy   what to do when the chain throws
 * @param session       the session to subscribe on, or null for the default session
 * @param source        where the route was defined, for listings (such as {@code com.acme.Telemetry#gps} for a
 *                      controller method), or null when unknown
 * @param nonBlocking   true when the handler and the route's middleware never block ({@link RouteBuilder#nonBlocking()}):
 *                      the dispatcher may run them on the thread that received the message
 */
public record Route(int index, String name, TopicPattern pattern, Handler handler, List<Middleware> middleware,
                    List<String> sinks, int qos,
                    String sharedGroup, int workers, List<TopicPattern> excludes, boolean fanout, boolean ordered,
                    ErrorPolicy errorPolicy, String session, String source, boolean nonBlocking) {

    /** Validates and copies. */
    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(errorPolicy, "errorPolicy");
        middleware = List.copyOf(middleware);
        sinks = List.copyOf(sinks);
        if (handler == null && sinks.isEmpty()) {
            throw new IllegalArgumentException("route '" + name + "' has neither a handler nor a sink: give it a handler, or"
                    + " forward it with .to(\"sink\")");
        }
        excludes = List.copyOf(excludes);
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("route '" + name + "': qos must be 0, 1 or 2, got " + qos);
        if (workers < 1) throw new IllegalArgumentException("route '" + name + "': workers must be at least 1, got " + workers);
        if (nonBlocking && errorPolicy.pauses()) {
            throw new IllegalArgumentException("route '" + name + "' is non-blocking, so it runs on the thread that received"
                    + " the message, where a retry must not pause; its error policy pauses between attempts ("
                    + errorPolicy.attempts() + " attempts, backoff " + errorPolicy.backoff().initial() + "): retry"
                    + " without a pause, or drop nonBlocking()");
        }
    }

    /** A route that may block ({@code nonBlocking} false). */
    public Route(int index, String name, TopicPattern pattern, Handler handler, List<Middleware> middleware,
                 List<String> sinks, int qos, String sharedGroup, int workers, List<TopicPattern> excludes, boolean fanout,
                 boolean ordered, ErrorPolicy errorPolicy, String session, String source) {
        this(index, name, pattern, handler, middleware, sinks, qos, sharedGroup, workers, excludes, fanout, ordered,
                errorPolicy, session, source, false);
    }

    /** A route without a source label ({@link RouteBuilder#source(String)}). */
    public Route(int index, String name, TopicPattern pattern, Handler handler, List<Middleware> middleware,
                 List<String> sinks, int qos, String sharedGroup, int workers, List<TopicPattern> excludes, boolean fanout,
                 boolean ordered, ErrorPolicy errorPolicy, String session) {
        this(index, name, pattern, handler, middleware, sinks, qos, sharedGroup, workers, excludes, fanout, ordered,
                errorPolicy, session, null, false);
    }

    /** Whether the route has a handler (code); false for a route that only forwards to sinks. */
    public boolean hasHandler() {
        return handler != null;
    }

    /**
     * Whether the route only forwards: no handler and no middleware. The dispatcher appends such a message to its
     * sinks on the receiving thread, with no hand-off.
     */
    public boolean forwardOnly() {
        return handler == null && middleware.isEmpty();
    }

    /** Whether one of this route's exclude patterns matches the topic. */
    public boolean excludes(String topic) {
        for (int i = 0, n = excludes.size(); i < n; i++) {
            if (excludes.get(i).matches(topic)) return true;
        }
        return false;
    }

    /** Whether the topic matches this route's pattern and none of its excludes. */
    public boolean accepts(String topic) {
        return pattern.matches(topic) && !excludes(topic);
    }

    @Override
    public String toString() {
        return "Route[" + name + (name.equals(pattern.pattern()) ? "" : " " + pattern) + "]";
    }
}
