package io.routemq.core;

import java.util.Map;

/**
 * A route that matched a topic. The parameters are bound on first use, so that matching itself allocates little.
 */
public final class Match {
    private final Route route;
    private final String topic;
    private Map<String, String> params;

    /** A match of {@code route} for {@code topic}; the topic must match the route's pattern. */
    public Match(Route route, String topic) {
        this.route = route;
        this.topic = topic;
    }

    /** The matched route. */
    public Route route() {
        return route;
    }

    /** The topic that was matched. */
    public String topic() {
        return topic;
    }

    /** The bound parameters, in pattern order (unmodifiable). */
    public Map<String, String> params() {
        Map<String, String> p = params;
        if (p == null) {
            p = route.pattern().bind(topic);
            params = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "Match[" + route.name() + " " + params() + "]";
    }
}
