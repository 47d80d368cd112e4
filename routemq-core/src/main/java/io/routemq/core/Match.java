package io.routemq.core;

import io.routemq.core.internal.LevelBounds;

import java.util.Map;

/**
 * A route that matched a topic. The parameters are bound on first use, so that matching itself allocates little;
 * a match made by a {@link RouteTable} knows where its parameters are in the topic (the trie found them while
 * matching), so binding them only cuts the topic there.
 */
public final class Match {
    private final Route route;
    private final String topic;
    /** Where the route's parameters are in the topic ({@link LevelBounds}), or {@link LevelBounds#UNKNOWN}. */
    private final int bounds;
    private Map<String, String> params;

    /** A match of {@code route} for {@code topic}; the topic must match the route's pattern. */
    public Match(Route route, String topic) {
        this(route, topic, LevelBounds.UNKNOWN);
    }

    /** A match found by the trie, which says where the parameters are. */
    Match(Route route, String topic, int bounds) {
        this.route = route;
        this.topic = topic;
        this.bounds = bounds;
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
            p = LevelBounds.bind(route.pattern(), topic, bounds);
            params = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "Match[" + route.name() + " " + params() + "]";
    }
}
