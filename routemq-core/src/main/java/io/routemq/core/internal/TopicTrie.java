package io.routemq.core.internal;

import io.routemq.core.Route;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.routemq.core.internal.LevelKeys.END_MASK;
import static io.routemq.core.internal.LevelKeys.HASHED_LEVEL;
import static io.routemq.core.internal.LevelKeys.ROOT_HASH;
import static io.routemq.core.internal.LevelKeys.SINGLE_KEY;
import static io.routemq.core.internal.LevelKeys.key0;
import static io.routemq.core.internal.LevelKeys.key1;
import static io.routemq.core.internal.LevelKeys.levelEnd;
import static io.routemq.core.internal.LevelKeys.mix;
import static io.routemq.core.internal.TrieLayout.AUX_EXACT_SHIFT;
import static io.routemq.core.internal.TrieLayout.EXACT;
import static io.routemq.core.internal.TrieLayout.EXACT_CHECK;
import static io.routemq.core.internal.TrieLayout.LEAF;
import static io.routemq.core.internal.TrieLayout.LITERALS;
import static io.routemq.core.internal.TrieLayout.MULTI;
import static io.routemq.core.internal.TrieLayout.MULTI_CHECK;
import static io.routemq.core.internal.TrieLayout.SINGLE;
import static io.routemq.core.internal.TrieLayout.child;
import static io.routemq.core.internal.TrieLayout.childFlags;
import static io.routemq.core.internal.TrieLayout.leafMatches;
import static io.routemq.core.internal.TrieLayout.singleChild;
import static io.routemq.core.internal.TrieLayout.singleFlags;

/**
 * The route trie: one node per pattern level, flattened into a few primitive arrays after construction, and the
 * two walks over it ({@link #first}, {@link #all}). Immutable after the constructor, so one instance is shared by
 * every dispatching thread.
 *
 * <p><b>Semantics.</b> Single-level wildcards and parameters share one child; routes that end in a multi-level
 * wildcard or capture hang on the node of their last fixed level. A depth-first walk that tries the literal child,
 * then the single-level child, then the multi-level routes visits matching routes from the most to the least
 * specific (level by level), so the first accepted route is the winner. A topic starting with {@code $} is not
 * matched by a wildcard or parameter in the first level (MQTT 5, 4.7.2). Each match carries its
 * {@link LevelBounds}: where the walk found the route's single-level and multi-level parts in the topic, so binding
 * the parameters needs no second walk.
 *
 * <p><b>Why it is hand-written and flat.</b> Routing runs once per message, and the router benchmark
 * ({@code routemq-bench}: {@code RouterMatchBenchmark}, {@code BestOfRounds}; figures in docs/performance.md) showed
 * the textbook trie of objects spending its time finding each {@code /}, hashing each level again, and on about six
 * dependent pointer loads per level, which become cache misses once a table of 10k+ routes no longer fits in L2. No
 * JDK or library map can be probed by a region of a string without allocating, so the parts do it by hand:
 * <ul>
 *   <li>{@link LevelKeys}: the topic read as Latin-1 bytes, 8 characters per load, levels packed into their keys,
 *       the path hash that addresses each edge;</li>
 *   <li>{@link EdgeTable}: every literal edge in one open-addressing table of 32-byte slots, one line per level;</li>
 *   <li>{@link TrieLayout}: the flags and aux word a slot carries, so the walk knows what a child offers;</li>
 *   <li>{@link LiteralIndex}: fully literal routes by their whole text, one line per hit, behind a bit filter;</li>
 *   <li>{@link TrieBuilder}: the mutable tree first built from the routes, then numbered and flattened.</li>
 * </ul>
 * <p><b>Measured.</b> With 100k routes the tables are tens of MB and every deep level is a cache miss, so what
 * costs is the number of distinct cache lines a match reads, not instructions. Matching allocates only the topic's
 * byte copy (topic length + 16 bytes, short-lived) and what the {@link Found} factory makes; no state is kept
 * between calls, so concurrent matching needs no synchronisation.
 *
 * <p>Public only because {@code io.routemq.core.RouteTable}, in this module, uses it; not API: other modules must not
 * use it.
 */
public final class TopicTrie {
    /**
     * Makes the result of one match: the route, the topic, and its {@link LevelBounds}.
     *
     * @param <M> the type of a match
     */
    @FunctionalInterface
    public interface Found<M> {
        /** A match of {@code route} for {@code topic}, the walk having found its parts at {@code bounds}. */
        M of(Route route, String topic, int bounds);
    }

    private final Route[] routes;
    /** Per node: its first exact route and its first multi-level route (-1 when none). */
    private final int[] firstRoutes;
    private final int rootFlags;
    private final long rootAux;
    /** Per node: its aux word (read only when a walk steps through a single-level child). */
    private final long[] nodeAux;
    /** All routes ending at a node / hanging on it as multi-level, in registration order; null when none. */
    private final int[][] exactLists;
    private final int[][] multiLists;
    private final EdgeTable edgeTable;
    /** The edge table's slots, read directly once {@link EdgeTable#find} has found one. */
    private final long[] edges;
    /** Null when there are no fully literal routes. */
    private final LiteralIndex literals;

    /** Builds a trie over the routes; their order is the tie-break order. */
    public TopicTrie(List<Route> routeList) {
        routes = routeList.toArray(Route[]::new);
        TrieBuilder b = new TrieBuilder(routes);
        firstRoutes = b.firstRoutes;
        nodeAux = b.nodeAux;
        exactLists = b.exactLists;
        multiLists = b.multiLists;
        rootFlags = b.rootFlags;
        rootAux = nodeAux[0];
        edgeTable = b.edges;
        edges = edgeTable.slots;
        literals = b.literals;
    }

    // ------------------------------------------------------------------------------------------- the best route

    /** The most specific route that accepts the topic, made by {@code found}, or null. */
    public <M> M first(String topic, Found<M> found) {
        byte[] bytes = topic.getBytes(StandardCharsets.ISO_8859_1);
        long hash = LevelKeys.latin1Hash(topic, bytes);
        if (hash == 0) {
            bytes = null;
        } else if (literals != null) {
            // A fully literal route is literal at every level, so when it accepts the topic it is what the walk
            // would find first; when it excludes the topic the walk goes on to the next most specific route.
            Route r = literals.find(topic, bytes, hash);
            if (r != null) return found.of(r, topic, 0);
        }
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        long r = first(0, ROOT_HASH, rootFlags, rootAux, topic, bytes, 0, dollar, 0);
        return (int) r < 0 ? null : found.of(routes[(int) r], topic, (int) (r >>> 32));
    }

    /** A walk's answer: the route index in the low half, its {@link LevelBounds} in the high half. */
    private static long answer(int route, int bounds) {
        return (route & 0xFFFFFFFFL) | (long) bounds << 32;
    }

    /**
     * The most specific route under {@code node} (path hash {@code h}, aux word {@code aux}) that accepts the rest
     * of the topic from {@code start}, with {@code bounds} the {@link LevelBounds} of the path so far, as an
     * {@link #answer}; -1 in the low half when none. Loops down the trie while a node offers one way on, recurses
     * only where it offers a literal child AND an alternative (single-level child or multi-level routes) to fall
     * back to.
     */
    private long first(int node, long h, int flags, long aux, String topic, byte[] bytes, int start,
                       boolean dollarAtRoot, int bounds) {
        int len = topic.length();
        int w = LevelBounds.width(len);
        boolean dollar = dollarAtRoot;
        while (start <= len) {
            int lv = levelEnd(topic, bytes, start);
            int end = lv & END_MASK;
            int next = end + 1;
            if ((flags & LITERALS) != 0) {
                boolean hashed = (lv & HASHED_LEVEL) != 0;
                long w0 = key0(topic, bytes, start, end, hashed);
                long w1 = key1(topic, bytes, start, end, hashed);
                long g = mix(h, w0, w1);
                int i = edgeTable.find(node, g, w0, w1, hashed, topic, bytes, start, end);
                if (i >= 0) {
                    long meta = edges[i];
                    int cf = childFlags(meta);
                    if ((cf & LEAF) != 0) {
                        if (leafMatches(cf, next, len)) {
                            return answer(child(meta), (cf & MULTI) != 0 ? bounds << w | next : bounds);
                        }
                    } else if (dollar || (flags & (SINGLE | MULTI)) == 0) {
                        // no alternative here: the literal child's answer is the answer
                        node = child(meta);
                        h = g;
                        flags = cf;
                        aux = edges[i + 3];
                        start = next;
                        dollar = false;
                        continue;
                    } else {
                        long r = first(child(meta), g, cf, edges[i + 3], topic, bytes, next, false, bounds);
                        if ((int) r >= 0) return r;
                    }
                }
            }
            if (dollar) return -1;
            if ((flags & SINGLE) != 0) {
                int single = singleChild(aux);
                int sf = singleFlags(aux);
                int through = bounds << w | start;
                if ((sf & LEAF) != 0) {
                    if (leafMatches(sf, next, len)) {
                        return answer(single, (sf & MULTI) != 0 ? through << w | next : through);
                    }
                } else {
                    long g = mix(h, 0, SINGLE_KEY);
                    long singleAux = (sf & (SINGLE | EXACT)) != 0 ? nodeAux[single] : 0;
                    if ((flags & MULTI) == 0) {
                        node = single;
                        h = g;
                        flags = sf;
                        aux = singleAux;
                        start = next;
                        bounds = through;
                        continue;
                    }
                    long r = first(single, g, sf, singleAux, topic, bytes, next, false, through);
                    if ((int) r >= 0) return r;
                }
            }
            return (flags & MULTI) != 0
                    ? answer(accepted(node, flags, MULTI_CHECK, 1, multiLists, topic), bounds << w | start) : -1;
        }
        int r = -1;
        if ((flags & EXACT) != 0) {
            long x = aux >>> AUX_EXACT_SHIFT;
            r = (flags & EXACT_CHECK) == 0 && x != 0 ? (int) x - 1 : accepted(node, flags, EXACT_CHECK, 0, exactLists, topic);
            if (r >= 0) return answer(r, bounds);
        }
        if ((flags & MULTI) != 0) r = accepted(node, flags, MULTI_CHECK, 1, multiLists, topic);
        return answer(r, bounds << w | start);
    }

    /** The first route of the node's exact (field 0) or multi-level (1) list that does not exclude the topic, or -1. */
    private int accepted(int node, int flags, int check, int field, int[][] lists, String topic) {
        if ((flags & check) == 0) return firstRoutes[node * 2 + field];
        for (int r : lists[node]) if (!routes[r].excludes(topic)) return r;
        return -1;
    }

    // ---------------------------------------------------------------------------------------------- all routes

    /** Adds every route that accepts the topic, made by {@code found}, to {@code out}, most specific first. */
    public <M> void all(String topic, Found<M> found, List<M> out) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        all(0, ROOT_HASH, rootFlags, topic, LevelKeys.latin1Bytes(topic), 0, dollar, 0, found, out);
    }

    /**
     * Adds the routes under {@code node} that accept the rest of the topic from {@code start}, most specific first,
     * {@code bounds} being the {@link LevelBounds} of the path so far. Loops down the trie where a node offers one
     * way on and recurses only where a literal child has something after it (a single-level child or multi-level
     * routes), so a chain of thousands of levels needs no deep stack.
     */
    private <M> void all(int node, long h, int flags, String topic, byte[] bytes, int start, boolean dollarAtRoot,
                         int bounds, Found<M> found, List<M> out) {
        int len = topic.length();
        int w = LevelBounds.width(len);
        boolean dollar = dollarAtRoot;
        while (true) {
            if (start > len) {
                addAccepted(exactLists[node], topic, bounds, found, out);
                addAccepted(multiLists[node], topic, bounds << w | start, found, out);
                return;
            }
            int lv = levelEnd(topic, bytes, start);
            int end = lv & END_MASK;
            int next = end + 1;
            boolean single = !dollar && (flags & SINGLE) != 0;
            boolean multi = !dollar && multiLists[node] != null;
            if ((flags & LITERALS) != 0) {
                boolean hashed = (lv & HASHED_LEVEL) != 0;
                long w0 = key0(topic, bytes, start, end, hashed);
                long w1 = key1(topic, bytes, start, end, hashed);
                long g = mix(h, w0, w1);
                int i = edgeTable.find(node, g, w0, w1, hashed, topic, bytes, start, end);
                if (i >= 0) {
                    long meta = edges[i];
                    int cf = childFlags(meta);
                    if (single || multi || (cf & LEAF) != 0) {
                        allBelow(child(meta), cf, g, topic, bytes, next, bounds, found, out);
                    } else {
                        node = child(meta);
                        h = g;
                        flags = cf;
                        start = next;
                        dollar = false;
                        continue;
                    }
                }
            }
            if (single) {
                long aux = nodeAux[node];
                int child = singleChild(aux);
                int cf = singleFlags(aux);
                long g = mix(h, 0, SINGLE_KEY);
                int through = bounds << w | start;
                if (multi || (cf & LEAF) != 0) {
                    allBelow(child, cf, g, topic, bytes, next, through, found, out);
                } else {
                    node = child;
                    h = g;
                    flags = cf;
                    start = next;
                    bounds = through;
                    dollar = false;
                    continue;
                }
            }
            if (multi) addAccepted(multiLists[node], topic, bounds << w | start, found, out);
            return;
        }
    }

    /** {@link #all} for the child an edge leads to ({@code child} is a route for a {@link TrieLayout#LEAF}). */
    private <M> void allBelow(int child, int flags, long g, String topic, byte[] bytes, int next, int bounds,
                              Found<M> found, List<M> out) {
        if ((flags & LEAF) == 0) {
            all(child, g, flags, topic, bytes, next, false, bounds, found, out);
        } else if (leafMatches(flags, next, topic.length())) {
            int b = (flags & MULTI) != 0 ? bounds << LevelBounds.width(topic.length()) | next : bounds;
            out.add(found.of(routes[child], topic, b)); // a leaf route has no excludes
        }
    }

    private <M> void addAccepted(int[] list, String topic, int bounds, Found<M> found, List<M> out) {
        if (list == null) return;
        for (int r : list) if (!routes[r].excludes(topic)) out.add(found.of(routes[r], topic, bounds));
    }
}
