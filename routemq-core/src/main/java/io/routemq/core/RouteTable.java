package io.routemq.core;

import io.routemq.core.internal.SubscriptionPlanner;
import io.routemq.core.internal.TopicTrie;

import java.util.ArrayList;
import java.util.List;

/**
 * The compiled, immutable route table: a trie over topic levels, so matching costs the same whatever the number
 * of routes. Thread-safe.
 *
 * <p><b>Precedence.</b> When several routes match a topic, the most specific wins, compared level by level from
 * the left: a literal level beats {@code {param}} or {@code +}, which beat {@code {name...}} or {@code #}.
 * Equally specific routes ({@code a/{x}} and {@code a/+}) are taken in registration order. A route whose exclude
 * patterns match the topic is skipped, and the next most specific route gets the message. Routes marked
 * {@link RouteBuilder#fanout()} receive every matching message in addition to the winner.
 */
public final class RouteTable {
    private final List<Route> routes;
    private final TopicTrie trie;
    private final boolean anyFanout;
    private final List<Subscription> subscriptions;
    /** How the trie makes a match: with the places of the parameters it found. */
    private static final TopicTrie.Found<Match> MATCH = Match::new;

    RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.trie = new TopicTrie(this.routes);
        boolean f = false;
        for (Route r : this.routes) f |= r.fanout();
        this.anyFanout = f;
        this.subscriptions = SubscriptionPlanner.plan(this.routes);
    }

    /** All routes in registration order. */
    public List<Route> routes() {
        return routes;
    }

    /** The most specific route that accepts the topic, or null when none does. */
    public Match match(String topic) {
        return trie.first(topic, MATCH);
    }

    /** Every route that accepts the topic, most specific first. */
    public List<Match> matchAll(String topic) {
        List<Match> out = new ArrayList<>(4);
        trie.all(topic, MATCH, out);
        return out;
    }

    /**
     * The routes a message on this topic is delivered to: the most specific one, plus every other matching route
     * marked fan-out. Empty when nothing matches.
     */
    public List<Match> resolve(String topic) {
        if (!anyFanout) {
            Match m = trie.first(topic, MATCH);
            return m == null ? List.of() : List.of(m);
        }
        List<Match> found = new ArrayList<>(4);
        trie.all(topic, MATCH, found);
        if (found.size() <= 1) return found.isEmpty() ? List.of() : found;
        List<Match> out = new ArrayList<>(found.size());
        out.add(found.get(0));
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i).route().fanout()) out.add(found.get(i));
        }
        return out;
    }

    /**
     * The MQTT subscriptions these routes need: parameters become wildcards, duplicate filters and filters covered
     * by another filter of the same session and share group are merged, each filter gets the highest QoS of the
     * routes it serves, and shared routes subscribe through {@code $share/<group>/<filter>}.
     */
    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    /** The number of routes. */
    public int size() {
        return routes.size();
    }
}
