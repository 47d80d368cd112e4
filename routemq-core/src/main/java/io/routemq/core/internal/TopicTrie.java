package io.routemq.core.internal;

import io.routemq.core.Route;
import io.routemq.core.TopicPattern;

import java.util.Arrays;
import java.util.List;

/**
 * The route trie: one node per pattern level. Single-level wildcards and parameters share one child; routes that
 * end in a multi-level wildcard or capture hang on the node of their last fixed level. A depth-first walk that
 * tries the literal child, then the single-level child, then the multi-level routes visits matching routes from
 * the most to the least specific (level by level), so the first accepted route is the winner.
 */
public final class TopicTrie {
    private static final Route[] NONE = new Route[0];

    private static final class Node {
        LevelMap<Node> literals;
        Node single;
        Route[] exact = NONE;
        Route[] multi = NONE;
    }

    private final Node root = new Node();
    private final boolean anyExcludes;

    /** Builds a trie over the routes; their order is the tie-break order. */
    public TopicTrie(List<Route> routes) {
        boolean ex = false;
        for (Route r : routes) {
            add(r);
            ex |= !r.excludes().isEmpty();
        }
        anyExcludes = ex;
    }

    private void add(Route route) {
        Node node = root;
        List<TopicPattern.Level> levels = route.pattern().levels();
        for (TopicPattern.Level level : levels) {
            switch (level.kind()) {
                case LITERAL -> {
                    if (node.literals == null) node.literals = new LevelMap<>();
                    Node child = node.literals.get(level.text());
                    if (child == null) {
                        child = new Node();
                        node.literals.put(level.text(), child);
                    }
                    node = child;
                }
                case PARAM, SINGLE_WILDCARD -> {
                    if (node.single == null) node.single = new Node();
                    node = node.single;
                }
                case MULTI_PARAM, MULTI_WILDCARD -> {
                    node.multi = append(node.multi, route);
                    return;
                }
            }
        }
        node.exact = append(node.exact, route);
    }

    private static Route[] append(Route[] a, Route r) {
        Route[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = r;
        return b;
    }

    /** The most specific route that accepts the topic, or null. */
    public Route first(String topic) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        return first(root, topic, 0, dollar);
    }

    private Route first(Node node, String topic, int start, boolean dollarAtRoot) {
        int len = topic.length();
        if (start > len) {
            Route r = accepted(node.exact, topic);
            return r != null ? r : accepted(node.multi, topic);
        }
        int end = topic.indexOf('/', start);
        if (end < 0) end = len;
        if (node.literals != null) {
            Node child = node.literals.get(topic, start, end);
            if (child != null) {
                Route r = first(child, topic, end + 1, false);
                if (r != null) return r;
            }
        }
        if (dollarAtRoot) return null;
        if (node.single != null) {
            Route r = first(node.single, topic, end + 1, false);
            if (r != null) return r;
        }
        return accepted(node.multi, topic);
    }

    private Route accepted(Route[] routes, String topic) {
        if (routes.length == 0) return null;
        if (!anyExcludes) return routes[0];
        for (Route r : routes) if (!r.excludes(topic)) return r;
        return null;
    }

    /** Adds every route that accepts the topic to {@code out}, most specific first. */
    public void all(String topic, List<Route> out) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        all(root, topic, 0, dollar, out);
    }

    private void all(Node node, String topic, int start, boolean dollarAtRoot, List<Route> out) {
        int len = topic.length();
        if (start > len) {
            addAccepted(node.exact, topic, out);
            addAccepted(node.multi, topic, out);
            return;
        }
        int end = topic.indexOf('/', start);
        if (end < 0) end = len;
        if (node.literals != null) {
            Node child = node.literals.get(topic, start, end);
            if (child != null) all(child, topic, end + 1, false, out);
        }
        if (dollarAtRoot) return;
        if (node.single != null) all(node.single, topic, end + 1, false, out);
        addAccepted(node.multi, topic, out);
    }

    private static void addAccepted(Route[] routes, String topic, List<Route> out) {
        for (Route r : routes) if (!r.excludes(topic)) out.add(r);
    }
}
