package io.routemq.bench.jmh;

import io.routemq.core.Route;
import io.routemq.core.TopicPattern;

import java.util.Arrays;
import java.util.List;

/**
 * A PROTOTYPE of a cache-friendlier route trie, kept in the bench module only to measure the change proposed for
 * {@code io.routemq.core.internal.TopicTrie}; RouteMQ does not use it. Same precedence as {@code TopicTrie.first}
 * (literal, then single-level, then multi-level, depth first, first registered wins among equals; the MQTT
 * {@code $} rule), but without exclude patterns.
 *
 * <p>What differs is the work per topic level:
 * <ul>
 *   <li>{@code TopicTrie} calls {@code topic.indexOf('/')} (about 10 ns per call on short strings), then hashes the
 *       level again with {@code 31 * h + c} (a serial multiply per character), then follows about six dependent
 *       pointers (node, its {@code LevelMap}, the keys array, the key {@code String}, its bytes, the values array).</li>
 *   <li>Here one loop over the level's characters finds the {@code /} and packs the characters into two longs
 *       (8 Latin-1 characters each, shifts and ors, no multiply chain); the level hash is a few multiplies of those
 *       words. All literal edges of the whole trie live in ONE open-addressing {@code long[]} keyed by
 *       {@code (parent node, level hash)}, and each slot holds the packed text too, so a level of up to 16 Latin-1
 *       characters is looked up and verified with one slot (half a cache line) and no pointer. Longer or non-Latin-1
 *       levels are verified against a shared {@code char[]} arena. Nodes are ints; their single-level child and
 *       first exact and multi-level routes sit together in one {@code int[]}.</li>
 * </ul>
 */
public final class FlatTriePrototype {
    private static final int STRIDE = 4;       // longs per edge slot: key, word0, word1, child+1 | len << 32
    private static final int NODE = 4;         // ints per node: single child, exact route, multi route, arena hint
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;
    private static final long NON_LATIN1 = Long.MIN_VALUE;

    private final Route[] routes;
    private int[] nodes = new int[NODE * 16];
    private int nodeCount;
    private long[] edges = new long[STRIDE * 16];
    private int[] arenaOffset = new int[16];    // by slot, for levels that do not fit the two words
    private int edgeCount;
    private char[] arena = new char[256];
    private int arenaSize;

    /** Builds the trie; the list order is the tie-break order. Routes with excludes are refused. */
    public FlatTriePrototype(List<Route> routeList) {
        routes = routeList.toArray(Route[]::new);
        newNode();
        for (int i = 0; i < routes.length; i++) {
            if (!routes[i].excludes().isEmpty()) {
                throw new IllegalArgumentException("prototype does not support exclude patterns (route " + routes[i] + ")");
            }
            add(i);
        }
    }

    private int newNode() {
        if ((nodeCount + 1) * NODE > nodes.length) nodes = Arrays.copyOf(nodes, nodes.length * 2);
        int b = nodeCount * NODE;
        nodes[b] = -1;
        nodes[b + 1] = -1;
        nodes[b + 2] = -1;
        return nodeCount++;
    }

    private void add(int routeIndex) {
        int node = 0;
        for (TopicPattern.Level level : routes[routeIndex].pattern().levels()) {
            switch (level.kind()) {
                case LITERAL -> node = literalChild(node, level.text());
                case PARAM, SINGLE_WILDCARD -> {
                    if (nodes[node * NODE] < 0) {
                        int c = newNode();
                        nodes[node * NODE] = c;
                    }
                    node = nodes[node * NODE];
                }
                case MULTI_PARAM, MULTI_WILDCARD -> {
                    if (nodes[node * NODE + 2] < 0) nodes[node * NODE + 2] = routeIndex;
                    return;
                }
            }
        }
        if (nodes[node * NODE + 1] < 0) nodes[node * NODE + 1] = routeIndex;
    }

    // ---- level packing: the same code for pattern levels and topic levels ----

    /** Packs up to 8 Latin-1 chars of s[from, to) into a long; NON_LATIN1 if one is not Latin-1. */
    private static long pack(String s, int from, int to) {
        long w = 0;
        int shift = 0;
        for (int i = from; i < to; i++, shift += 8) {
            char c = s.charAt(i);
            if (c > 0xFF) return NON_LATIN1;
            w |= (long) c << shift;
        }
        return w;
    }

    private static long key(int parent, long w0, long w1, int len) {
        long k = (w0 * K1) ^ (w1 * K2) ^ ((long) len << 48) ^ ((parent + 1L) * 0x165667B19E3779F9L);
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return k == 0 ? 1 : k;
    }

    private static long tailHash(String s, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) h = (h ^ s.charAt(i)) * K1;
        return h;
    }

    private int literalChild(int parent, String text) {
        int len = text.length();
        long w0 = pack(text, 0, Math.min(len, 8));
        long w1 = len > 8 ? pack(text, 8, Math.min(len, 16)) : 0;
        if (w0 == NON_LATIN1 || w1 == NON_LATIN1) {
            w0 = NON_LATIN1;
            w1 = tailHash(text, 0, len);
        } else if (len > 16) {
            w1 ^= tailHash(text, 16, len);
        }
        long key = key(parent, w0, w1, len);
        int found = find(key, w0, w1, text, 0, len);
        if (found >= 0) return found;
        int child = newNode();
        if ((edgeCount + 1) * 2 > edges.length / STRIDE) grow();
        int off = -1;
        if (len > 16 || w0 == NON_LATIN1) {
            if (arenaSize + len > arena.length) arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + len));
            text.getChars(0, len, arena, arenaSize);
            off = arenaSize;
            arenaSize += len;
        }
        insert(key, w0, w1, ((long) len << 32) | (child + 1L), off);
        edgeCount++;
        return child;
    }

    private void insert(long key, long w0, long w1, long meta, int off) {
        int mask = edges.length / STRIDE - 1;
        for (int s = (int) (key ^ (key >>> 32)) & mask; ; s = (s + 1) & mask) {
            int b = s * STRIDE;
            if (edges[b + 3] == 0) {
                edges[b] = key;
                edges[b + 1] = w0;
                edges[b + 2] = w1;
                edges[b + 3] = meta;
                arenaOffset[s] = off;
                return;
            }
        }
    }

    private void grow() {
        long[] old = edges;
        int[] oldOff = arenaOffset;
        edges = new long[old.length * 2];
        arenaOffset = new int[oldOff.length * 2];
        for (int s = 0; s < oldOff.length; s++) {
            int b = s * STRIDE;
            if (old[b + 3] != 0) insert(old[b], old[b + 1], old[b + 2], old[b + 3], oldOff[s]);
        }
    }

    /** The child for the level topic[start, start+len) under the key, or -1. */
    private int find(long key, long w0, long w1, String topic, int start, int len) {
        long[] e = edges;
        int mask = e.length / STRIDE - 1;
        for (int s = (int) (key ^ (key >>> 32)) & mask; ; s = (s + 1) & mask) {
            int b = s * STRIDE;
            long meta = e[b + 3];
            if (meta == 0) return -1;
            if (e[b] == key && e[b + 1] == w0 && e[b + 2] == w1 && (int) (meta >>> 32) == len
                    && (len <= 16 && w0 != NON_LATIN1 || arenaEquals(topic, start, len, arenaOffset[s]))) {
                return (int) meta - 1;
            }
        }
    }

    private boolean arenaEquals(String s, int start, int len, int off) {
        char[] a = arena;
        for (int i = 0; i < len; i++) if (s.charAt(start + i) != a[off + i]) return false;
        return true;
    }

    // ---- matching ----

    /** The most specific route for the topic, or null. */
    public Route first(String topic) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        int r = first(0, topic, 0, dollar);
        return r < 0 ? null : routes[r];
    }

    private int first(int node, String topic, int start, boolean dollarAtRoot) {
        int len = topic.length();
        int nb = node * NODE;
        if (start > len) {
            int r = nodes[nb + 1];
            return r >= 0 ? r : nodes[nb + 2];
        }
        // One pass: find the end of the level while packing its first 16 characters.
        long w0 = 0;
        long w1 = 0;
        boolean latin1 = true;
        int end = start;
        int stop = Math.min(len, start + 16);
        for (; end < stop; end++) {
            char c = topic.charAt(end);
            if (c == '/') break;
            latin1 &= c <= 0xFF;
            int shift = (end - start) << 3;
            if (shift < 64) w0 |= (long) c << shift;
            else w1 |= (long) c << (shift - 64);
        }
        if (end == stop && stop < len) {           // a level longer than 16 characters
            int e2 = topic.indexOf('/', end);
            end = e2 < 0 ? len : e2;
        }
        int levelLen = end - start;
        if (!latin1 || levelLen > 16) {
            if (!latin1) {
                w0 = NON_LATIN1;
                w1 = tailHash(topic, start, end);
            } else {
                w1 ^= tailHash(topic, start + 16, end);
            }
        }
        int child = find(key(node, w0, w1, levelLen), w0, w1, topic, start, levelLen);
        if (child >= 0) {
            int r = first(child, topic, end + 1, false);
            if (r >= 0) return r;
        }
        if (dollarAtRoot) return -1;
        int s = nodes[nb];
        if (s >= 0) {
            int r = first(s, topic, end + 1, false);
            if (r >= 0) return r;
        }
        return nodes[nb + 2];
    }
}
