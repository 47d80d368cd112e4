package io.routemq.core.internal;

import io.routemq.core.Route;
import io.routemq.core.TopicPattern;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.routemq.core.internal.TrieLayout.AUX_EXACT_LIMIT;
import static io.routemq.core.internal.TrieLayout.AUX_EXACT_SHIFT;
import static io.routemq.core.internal.TrieLayout.EXACT;
import static io.routemq.core.internal.TrieLayout.EXACT_CHECK;
import static io.routemq.core.internal.TrieLayout.LEAF;
import static io.routemq.core.internal.TrieLayout.LITERALS;
import static io.routemq.core.internal.TrieLayout.MAX_NODES;
import static io.routemq.core.internal.TrieLayout.MULTI;
import static io.routemq.core.internal.TrieLayout.MULTI_CHECK;
import static io.routemq.core.internal.TrieLayout.NODE_BITS;
import static io.routemq.core.internal.TrieLayout.NODE_MASK;
import static io.routemq.core.internal.TrieLayout.SINGLE;

/**
 * Builds the trie's flat arrays: first a tree of {@link Node} objects, one per pattern level, then numbers the nodes
 * and writes them into the per-node arrays, the {@link EdgeTable} and the {@link LiteralIndex}. Used once, by the
 * {@link TopicTrie} constructor; its results are its package-private fields.
 *
 * <p>Nodes are numbered breadth first, so that the upper (hot) levels sit together at the start of the arrays, and
 * so that a node's path hash is known before its edges are placed (an edge's slot is found by its path hash).
 */
final class TrieBuilder {
    /** Per node: its first exact route and its first multi-level route (-1 when none). */
    final int[] firstRoutes;
    /** Per node: its aux word (see {@link TrieLayout}). */
    final long[] nodeAux;
    /** Per node: all routes ending at it / hanging on it as multi-level, in registration order; null when none. */
    final int[][] exactLists;
    final int[][] multiLists;
    final int rootFlags;
    final EdgeTable edges;
    final LiteralIndex literals;

    /** Builds the arrays over the routes; their order is the tie-break order. */
    TrieBuilder(Route[] routes) {
        Node root = new Node();
        for (int i = 0; i < routes.length; i++) root.add(i, routes[i]);

        List<Node> order = new ArrayList<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(root);
        int edgeCount = 0;
        int n = 0;
        while (!queue.isEmpty()) {
            Node b = queue.poll();
            order.add(b);
            if (b != root && b.isLeaf()) continue; // its edge holds its route: it needs no id and no node record
            if (n >= MAX_NODES) {
                throw new IllegalArgumentException("the route table needs more than " + MAX_NODES
                        + " trie nodes; split the routes over several routers");
            }
            b.id = n++;
            if (b.literals != null) {
                edgeCount += b.literals.size();
                queue.addAll(b.literals.values());
            }
            if (b.single != null) queue.add(b.single);
        }

        firstRoutes = new int[n * 2];
        nodeAux = new long[n];
        exactLists = new int[n][];
        multiLists = new int[n][];
        edges = new EdgeTable(edgeCount);
        root.hash = LevelKeys.ROOT_HASH;
        for (Node b : order) { // breadth first: a node's path hash is set before its edges are placed
            if (b.id < 0) continue; // a leaf: no edges, no record
            firstRoutes[b.id * 2] = b.exact.isEmpty() ? -1 : b.exact.get(0);
            firstRoutes[b.id * 2 + 1] = b.multi.isEmpty() ? -1 : b.multi.get(0);
            exactLists[b.id] = toArray(b.exact);
            multiLists[b.id] = toArray(b.multi);
            nodeAux[b.id] = aux(b);
            if (b.single != null) b.single.hash = LevelKeys.mix(b.hash, 0, LevelKeys.SINGLE_KEY);
            if (b.literals != null) {
                for (Map.Entry<String, Node> e : b.literals.entrySet()) place(b, e.getValue(), e.getKey());
            }
        }
        edges.seal();
        rootFlags = root.flags();

        List<LiteralIndex.Entry> literalRoutes = new ArrayList<>();
        for (Node b : order) {
            if (b.literalText != null && LevelKeys.fastPathText(b.literalText)) {
                literalRoutes.add(new LiteralIndex.Entry(b.literalText, b.id, b.exact.get(0), b.exactExcludes));
            }
        }
        literals = LiteralIndex.of(literalRoutes, routes, exactLists);
    }

    /** Places the edge {@code parent -> child} for the level {@code text}, and sets the child's path hash. */
    private void place(Node parent, Node child, String text) {
        int len = text.length();
        boolean packed = LevelKeys.packable(text, 0, len);
        long w0 = packed ? LevelKeys.pack(text, 0, Math.min(len, 8)) : LevelKeys.hash0(text, 0, len);
        long w1 = packed ? (len > 8 ? LevelKeys.pack(text, 8, len) : 0) : LevelKeys.hash1(text, 0, len);
        long g = LevelKeys.mix(parent.hash, w0, w1);
        child.hash = g;
        boolean leaf = child.isLeaf();
        long meta = (parent.id + 1L) | ((long) (leaf ? child.onlyRoute() : child.id) << NODE_BITS)
                | ((long) (child.flags() | (leaf ? LEAF : 0)) << 56);
        edges.place(g, meta, w0, w1, aux(child), packed ? null : text);
    }

    /** A node's aux word (see {@link TrieLayout}): its single-level child and that child's flags, its first exact route. */
    private static long aux(Node b) {
        long a = 0;
        if (b.single != null) {
            boolean leaf = b.single.isLeaf();
            a = (leaf ? b.single.onlyRoute() : b.single.id) | ((long) (b.single.flags() | (leaf ? LEAF : 0)) << NODE_BITS);
        }
        if (!b.exact.isEmpty() && b.exact.get(0) < AUX_EXACT_LIMIT) a |= (b.exact.get(0) + 1L) << AUX_EXACT_SHIFT;
        return a;
    }

    private static int[] toArray(List<Integer> list) {
        if (list.isEmpty()) return null;
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    /** A node of the mutable tree: its children and the routes that end at it or hang on it. */
    private static final class Node {
        LinkedHashMap<String, Node> literals;
        Node single;
        final List<Integer> exact = new ArrayList<>(1);
        final List<Integer> multi = new ArrayList<>(1);
        boolean exactExcludes;
        boolean multiExcludes;
        /** The pattern text when a fully literal route ends here. */
        String literalText;
        /** The node's number in the per-node arrays, breadth first; -1 for a {@link #isLeaf() leaf}, which has none. */
        int id = -1;
        /** The path hash: {@link LevelKeys#mix} of the level keys from the root. */
        long hash;

        void add(int routeIndex, Route route) {
            Node node = this;
            TopicPattern pattern = route.pattern();
            for (int i = 0, n = pattern.levelCount(); i < n; i++) {
                switch (pattern.levelKind(i)) {
                    case LITERAL -> {
                        if (node.literals == null) node.literals = new LinkedHashMap<>();
                        node = node.literals.computeIfAbsent(pattern.level(i).text(), k -> new Node());
                    }
                    case PARAM, SINGLE_WILDCARD -> {
                        if (node.single == null) node.single = new Node();
                        node = node.single;
                    }
                    case MULTI_PARAM, MULTI_WILDCARD -> {
                        node.multi.add(routeIndex);
                        node.multiExcludes |= !route.excludes().isEmpty();
                        return;
                    }
                }
            }
            node.exact.add(routeIndex);
            node.exactExcludes |= !route.excludes().isEmpty();
            if (route.pattern().isLiteral()) node.literalText = route.pattern().pattern();
        }

        /**
         * Whether the edge to this node can hold its one route instead of a node id ({@link TrieLayout#LEAF}): then
         * the walk never reads the node, and it gets no id and no entry in the per-node arrays (in a table of 10k
         * routes, a third of the nodes, and the one-route list of each).
         */
        boolean isLeaf() {
            int only = onlyRoute();
            return only >= 0 && only <= NODE_MASK;
        }

        /** The route of a leaf with exactly one route and no excludes, else -1. */
        int onlyRoute() {
            if (literals != null || single != null || exactExcludes || multiExcludes) return -1;
            if (exact.size() + multi.size() != 1) return -1;
            return exact.isEmpty() ? multi.get(0) : exact.get(0);
        }

        int flags() {
            return (literals != null ? LITERALS : 0) | (single != null ? SINGLE : 0)
                    | (exact.isEmpty() ? 0 : EXACT) | (multi.isEmpty() ? 0 : MULTI)
                    | (exactExcludes ? EXACT_CHECK : 0) | (multiExcludes ? MULTI_CHECK : 0);
        }
    }
}
