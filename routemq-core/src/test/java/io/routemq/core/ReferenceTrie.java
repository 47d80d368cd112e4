package io.routemq.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain route trie to check the production one ({@code io.routemq.core.internal.TopicTrie}) against: a map of
 * literal levels, one single-level child and two route lists per node, and a recursive walk over the topic split on
 * {@code '/'}. Nothing is packed, hashed or flattened, and the parameters are bound from the levels the walk went
 * through, so it shares no code with the production trie but {@link Route#excludes} and {@link TopicPattern#parse}.
 *
 * <p>The order it finds routes in is the documented precedence ({@link RouteTable}): at each level the literal child
 * first, then the single-level child ({@code +} and {@code {x}}), then the multi-level routes ({@code #} and
 * {@code {x...}}); at the end of the topic the routes ending there, then the multi-level ones; within a node,
 * registration order. A topic starting with {@code $} is not matched by a wildcard or parameter in its first level.
 */
final class ReferenceTrie {
    /** One route found for a topic, with the parameters the reference binds. */
    record Hit(Route route, Map<String, String> params) {
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node single;
        final List<Route> exact = new ArrayList<>();
        final List<Route> multi = new ArrayList<>();
    }

    private final Node root = new Node();

    ReferenceTrie(List<Route> routes) {
        for (Route route : routes) add(route);
    }

    private void add(Route route) {
        Node node = root;
        for (TopicPattern.Level level : route.pattern().levels()) {
            switch (level.kind()) {
                case LITERAL -> node = node.literals.computeIfAbsent(level.text(), k -> new Node());
                case PARAM, SINGLE_WILDCARD -> {
                    if (node.single == null) node.single = new Node();
                    node = node.single;
                }
                case MULTI_PARAM, MULTI_WILDCARD -> {
                    node.multi.add(route);
                    return;
                }
            }
        }
        node.exact.add(route);
    }

    /** Every route that accepts the topic, most specific first. */
    List<Hit> all(String topic) {
        List<Hit> out = new ArrayList<>();
        String[] levels = topic.split("/", -1);
        walk(root, levels, 0, new ArrayList<>(), topic, out);
        return out;
    }

    /** The most specific route that accepts the topic, or null. */
    Hit first(String topic) {
        List<Hit> all = all(topic);
        return all.isEmpty() ? null : all.get(0);
    }

    /** {@link #first} plus every other accepting route marked fan-out: what {@link RouteTable#resolve} gives. */
    List<Hit> resolve(String topic) {
        List<Hit> all = all(topic);
        List<Hit> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) if (i == 0 || all.get(i).route().fanout()) out.add(all.get(i));
        return out;
    }

    /** Walks {@code levels[i..]} from {@code node}; {@code through} holds the levels taken by single-level steps. */
    private static void walk(Node node, String[] levels, int i, List<String> through, String topic, List<Hit> out) {
        if (i == levels.length) {
            for (Route r : node.exact) hit(r, through, null, topic, out);
            for (Route r : node.multi) hit(r, through, "", topic, out);
            return;
        }
        Node literal = node.literals.get(levels[i]);
        if (literal != null) walk(literal, levels, i + 1, through, topic, out);
        boolean wildcardsMatch = !(i == 0 && topic.startsWith("$"));
        if (!wildcardsMatch) return;
        if (node.single != null) {
            List<String> deeper = new ArrayList<>(through);
            deeper.add(levels[i]);
            walk(node.single, levels, i + 1, deeper, topic, out);
        }
        if (!node.multi.isEmpty()) {
            String rest = String.join("/", java.util.Arrays.asList(levels).subList(i, levels.length));
            for (Route r : node.multi) hit(r, through, rest, topic, out);
        }
    }

    private static void hit(Route r, List<String> through, String rest, String topic, List<Hit> out) {
        if (r.excludes(topic)) return;
        Map<String, String> params = new LinkedHashMap<>();
        int k = 0;
        for (TopicPattern.Level level : r.pattern().levels()) {
            switch (level.kind()) {
                case LITERAL -> { }
                case SINGLE_WILDCARD -> k++;
                case PARAM -> params.put(level.text(), through.get(k++));
                case MULTI_PARAM -> params.put(level.text(), rest);
                case MULTI_WILDCARD -> { }
            }
        }
        out.add(new Hit(r, params));
    }
}
