package io.routemq.core.internal;

import io.routemq.core.Route;
import io.routemq.core.TopicPattern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route trie: one node per pattern level, flattened into a few primitive arrays after construction.
 * Immutable after the constructor, so one instance is shared by every dispatching thread.
 *
 * <p><b>Semantics.</b> Single-level wildcards and parameters share one child; routes that end in a multi-level
 * wildcard or capture hang on the node of their last fixed level. A depth-first walk that tries the literal child,
 * then the single-level child, then the multi-level routes visits matching routes from the most to the least
 * specific (level by level), so the first accepted route is the winner. A topic starting with {@code $} is not
 * matched by a wildcard or parameter in the first level (MQTT 5, 4.7.2).
 *
 * <p><b>Why it is hand-written and flat.</b> Routing runs once per message, and the router benchmark
 * ({@code routemq-bench}: {@code RouterMatchBenchmark}, {@code BestOfRounds}; figures in docs/performance.md) showed
 * the textbook trie of objects spending its time on three things: finding each {@code /} with
 * {@code String.indexOf} (about 10 ns a call), hashing each level again character by character, and about six
 * dependent pointer loads per level (node, hash map, keys array, key string, its bytes, child), which become cache
 * misses once a table of 10k+ routes no longer fits in L2. No JDK or library map can be probed by a region of a
 * string without allocating, so this class does it by hand:
 * <ul>
 *   <li>A topic is read as Latin-1 bytes ({@code getBytes(ISO_8859_1)}, one array copy for the usual Latin-1
 *       string), 8 characters per {@code long} load; the {@code /} is found with bit tricks, without a branch per
 *       character. Topics with other characters (or {@code '?'} or NUL, see {@link #latin1Hash}) take an
 *       equivalent char-by-char path that yields the same keys.</li>
 *   <li>A level of at most 16 Latin-1 characters is packed into two {@code long}s that ARE its key, so it is
 *       verified without touching any string. Longer or non-Latin-1 levels carry two hashes instead and are
 *       verified against a shared {@code char[]}.</li>
 *   <li>Every literal edge of the whole trie lives in ONE open-addressing {@code long[]} of 3-long slots
 *       {@code [parent | child | child flags, word0, word1]} keyed by {@code (parent node, level)}: one probe,
 *       usually one cache line, per level; the slot already says what the child has (literal children, a
 *       single-level child, exact or multi-level routes), so nodes without literal children are never probed.</li>
 *   <li>Nodes are {@code int}s; a node's single-level child, its flags and the node's first exact and multi-level
 *       route sit together in one {@code int[]}. The walk is a loop, and recurses only where a node offers a literal
 *       child AND an alternative to fall back to.</li>
 *   <li>Fully literal routes are also indexed by their whole text: a literal route is literal at every level, so
 *       when one equals the topic and does not exclude it, it is exactly what the walk would find first. That
 *       answers such topics with one hash probe (the hash is computed in the same pass that checks the bytes).</li>
 * </ul>
 * Matching allocates only the topic's byte copy (topic length + 16 bytes, short-lived); no state is kept between
 * calls, so concurrent matching needs no synchronisation.
 */
public final class TopicTrie {
    // ---- node flags (7 bits), kept in the edge that leads to a node and next to a node's single-level child ----
    /** The node has literal children (edges in {@link #edges}). */
    private static final int LITERALS = 1;
    /** The node has a single-level ({@code +} / {@code {x}}) child. */
    private static final int SINGLE = 2;
    /** Routes end at the node. */
    private static final int EXACT = 4;
    /** Multi-level routes ({@code #} / {@code {x...}}) hang on the node. */
    private static final int MULTI = 8;
    /** A route ending at the node has excludes, so the list must be checked, not just its first route. */
    private static final int EXACT_CHECK = 16;
    /** A multi-level route of the node has excludes. */
    private static final int MULTI_CHECK = 32;
    private static final int FLAG_MASK = 0x7F;

    // ---- edge slot word 0: bits 0-27 parent + 1 (0 = empty slot), 28-55 child, 56-62 child flags, 63 long level ----
    private static final int NODE_BITS = 28;
    private static final int NODE_MASK = (1 << NODE_BITS) - 1;
    /** The most nodes a trie may have (node ids and parent + 1 must fit in 28 bits). */
    static final int MAX_NODES = NODE_MASK - 1;
    private static final long LONG_LEVEL = Long.MIN_VALUE;
    private static final long KEY_MASK = NODE_MASK | LONG_LEVEL;
    private static final int STRIDE = 3;
    /** In a whole-topic index slot: a route ending at the node has excludes. */
    private static final int LITERAL_CHECK = 1 << NODE_BITS;

    /** Node record: single-level child, its flags, first exact route, first multi-level route (-1 when none). */
    private static final int NODE = 4;

    private final Route[] routes;
    private final int[] nodes;
    private final int rootFlags;
    /** All routes ending at a node / hanging on it as multi-level, in registration order; null when none. */
    private final int[][] exactLists;
    private final int[][] multiLists;

    private final long[] edges;
    private final int slotMask;
    private final int slotShift;
    /** For slots holding a long (over 16 characters) or non-Latin-1 level: where its text is in {@link #arena}. */
    private final int[] longStart;
    private final int[] longLength;
    private final char[] arena;

    /**
     * Whole-topic index of the fully literal routes: slots {@code [topic hash, node | excludes bit | length << 32]},
     * with the text at {@code literalStart[slot]} in {@link #literalText}; null when there are none.
     */
    private final long[] literals;
    private final int[] literalStart;
    private final byte[] literalText;
    private final int literalMask;
    private final int literalShift;

    /** Builds a trie over the routes; their order is the tie-break order. */
    public TopicTrie(List<Route> routeList) {
        routes = routeList.toArray(Route[]::new);
        Builder root = new Builder();
        for (int i = 0; i < routes.length; i++) root.add(i, routes[i]);

        // Number the nodes breadth first, so that the upper (hot) levels sit together at the start of the arrays.
        List<Builder> order = new ArrayList<>();
        ArrayDeque<Builder> queue = new ArrayDeque<>();
        queue.add(root);
        int edgeCount = 0;
        while (!queue.isEmpty()) {
            Builder b = queue.poll();
            if (order.size() >= MAX_NODES) {
                throw new IllegalArgumentException("the route table needs more than " + MAX_NODES
                        + " trie nodes; split the routes over several routers");
            }
            b.id = order.size();
            order.add(b);
            if (b.literals != null) {
                edgeCount += b.literals.size();
                queue.addAll(b.literals.values());
            }
            if (b.single != null) queue.add(b.single);
        }

        int n = order.size();
        nodes = new int[n * NODE];
        exactLists = new int[n][];
        multiLists = new int[n][];
        int slots = Integer.highestOneBit(Math.max(2, edgeCount * 2 - 1)) << 1; // load factor at most 1/2
        if (slots <= 0 || slots > (1 << 29)) throw new IllegalArgumentException("too many literal levels: " + edgeCount);
        edges = new long[slots * STRIDE];
        slotMask = slots - 1;
        slotShift = 64 - Integer.numberOfTrailingZeros(slots);
        int[] lStart = null;
        int[] lLength = null;
        StringBuilder longText = new StringBuilder();
        for (Builder b : order) {
            int base = b.id * NODE;
            nodes[base] = b.single == null ? -1 : b.single.id;
            nodes[base + 1] = b.single == null ? 0 : b.single.flags();
            nodes[base + 2] = b.exact.isEmpty() ? -1 : b.exact.get(0);
            nodes[base + 3] = b.multi.isEmpty() ? -1 : b.multi.get(0);
            exactLists[b.id] = toArray(b.exact);
            multiLists[b.id] = toArray(b.multi);
            if (b.literals == null) continue;
            for (Map.Entry<String, Builder> e : b.literals.entrySet()) {
                String text = e.getKey();
                Builder child = e.getValue();
                int len = text.length();
                boolean packed = packable(text, 0, len);
                long w0 = packed ? pack(text, 0, Math.min(len, 8)) : hash0(text, 0, len);
                long w1 = packed ? (len > 8 ? pack(text, 8, len) : 0) : hash1(text, 0, len);
                long meta = (b.id + 1L) | ((long) child.id << NODE_BITS) | ((long) child.flags() << 56)
                        | (packed ? 0 : LONG_LEVEL);
                int s = slot(b.id, w0, w1);
                while (edges[s * STRIDE] != 0) s = (s + 1) & slotMask;
                edges[s * STRIDE] = meta;
                edges[s * STRIDE + 1] = w0;
                edges[s * STRIDE + 2] = w1;
                if (!packed) {
                    if (lStart == null) {
                        lStart = new int[slots];
                        lLength = new int[slots];
                    }
                    lStart[s] = longText.length();
                    lLength[s] = len;
                    longText.append(text);
                }
            }
        }
        rootFlags = root.flags();

        // The whole-topic index: a literal route's text, as Latin-1 bytes, leads straight to its node.
        List<Builder> literalNodes = new ArrayList<>();
        for (Builder b : order) if (b.literalText != null && fastPathText(b.literalText)) literalNodes.add(b);
        if (literalNodes.isEmpty()) {
            literals = null;
            literalStart = null;
            literalText = null;
            literalMask = 0;
            literalShift = 0;
        } else {
            int lslots = Integer.highestOneBit(Math.max(2, literalNodes.size() * 2 - 1)) << 1;
            if (lslots <= 0 || lslots > (1 << 29)) throw new IllegalArgumentException("too many literal routes: " + literalNodes.size());
            literals = new long[lslots * 2];
            literalStart = new int[lslots];
            literalMask = lslots - 1;
            literalShift = 64 - Integer.numberOfTrailingZeros(lslots);
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            for (Builder b : literalNodes) {
                byte[] bytes = b.literalText.getBytes(StandardCharsets.ISO_8859_1);
                long h = topicHash(bytes);
                int s = (int) (h >>> literalShift);
                while (literals[s * 2] != 0) s = (s + 1) & literalMask;
                literals[s * 2] = h;
                literals[s * 2 + 1] = b.id | (b.exactExcludes ? (long) LITERAL_CHECK : 0) | ((long) bytes.length << 32);
                literalStart[s] = text.size();
                text.write(bytes, 0, bytes.length);
            }
            literalText = text.toByteArray();
        }

        longStart = lStart;
        longLength = lLength;
        arena = longText.toString().toCharArray();
    }

    /** The mutable tree the constructor builds first and then flattens. */
    private static final class Builder {
        LinkedHashMap<String, Builder> literals;
        Builder single;
        final List<Integer> exact = new ArrayList<>(1);
        final List<Integer> multi = new ArrayList<>(1);
        boolean exactExcludes;
        /** The pattern text when a fully literal route ends here. */
        String literalText;
        boolean multiExcludes;
        int id;

        void add(int routeIndex, Route route) {
            Builder node = this;
            for (TopicPattern.Level level : route.pattern().levels()) {
                switch (level.kind()) {
                    case LITERAL -> {
                        if (node.literals == null) node.literals = new LinkedHashMap<>();
                        node = node.literals.computeIfAbsent(level.text(), k -> new Builder());
                    }
                    case PARAM, SINGLE_WILDCARD -> {
                        if (node.single == null) node.single = new Builder();
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

        int flags() {
            return (literals != null ? LITERALS : 0) | (single != null ? SINGLE : 0)
                    | (exact.isEmpty() ? 0 : EXACT) | (multi.isEmpty() ? 0 : MULTI)
                    | (exactExcludes ? EXACT_CHECK : 0) | (multiExcludes ? MULTI_CHECK : 0);
        }
    }

    private static int[] toArray(List<Integer> list) {
        if (list.isEmpty()) return null;
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    // ------------------------------------------------------------------------------------------------ level keys

    /** Whether s[from, to) is stored packed: at most 16 characters, each in 1..255 (so the words are the text). */
    private static boolean packable(String s, int from, int to) {
        if (to - from > 16) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0xFF) return false;
        }
        return true;
    }

    /** s[from, to), at most 8 Latin-1 characters, one per byte, the first in the lowest byte. */
    private static long pack(String s, int from, int to) {
        long w = 0;
        for (int i = from; i < to; i++) w |= (long) s.charAt(i) << ((i - from) << 3);
        return w;
    }

    /** First hash of a level that is not packable. */
    private static long hash0(String s, int from, int to) {
        long h = 0x243F6A8885A308D3L;
        for (int i = from; i < to; i++) h = (h ^ s.charAt(i)) * 0x100000001B3L;
        return h;
    }

    /** Second hash of a level that is not packable; includes the length. */
    private static long hash1(String s, int from, int to) {
        long h = to - from;
        for (int i = from; i < to; i++) h = h * 31 + s.charAt(i);
        return h * 0x9E3779B97F4A7C15L;
    }

    /** {@link #hash0(String, int, int)} over Latin-1 bytes. */
    private static long hash0(byte[] b, int from, int to) {
        long h = 0x243F6A8885A308D3L;
        for (int i = from; i < to; i++) h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
        return h;
    }

    /** {@link #hash1(String, int, int)} over Latin-1 bytes. */
    private static long hash1(byte[] b, int from, int to) {
        long h = to - from;
        for (int i = from; i < to; i++) h = h * 31 + (b[i] & 0xFF);
        return h * 0x9E3779B97F4A7C15L;
    }

    /** The home slot of the edge {@code (parent, level words)}: the high bits of two multiplies. */
    private int slot(int parent, long w0, long w1) {
        long h = (w0 + parent * 0x9E3779B97F4A7C15L) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (h >>> 29) ^ w1) * 0x165667B19E3779F9L;
        return (int) (h >>> slotShift);
    }

    /**
     * Finds the end of the topic level that starts at {@code start} and, when the node has literal children, the
     * edge for that level. Returns {@code end << 32 | (slot + 1)}, with 0 in the low half when there is no edge;
     * {@code end} is the index of the {@code /} after the level, or the topic length. Reads the topic's Latin-1
     * bytes when {@code bytes} is not null (see {@link #latin1Bytes}), its chars otherwise; both give the same key.
     */
    private long level(int node, int flags, String topic, byte[] bytes, int start) {
        return bytes != null ? levelBytes(node, flags, bytes, start) : levelChars(node, flags, topic, start);
    }

    /** {@link #level} on the Latin-1 bytes of a topic: 8 characters per load, the '/' found with bit tricks. */
    private long levelBytes(int node, int flags, byte[] b, int start) {
        int n = b.length;
        long x = word(b, start, n);
        long z = zeroByte(x ^ SLASHES);
        int end;
        long w0;
        long w1 = 0;
        boolean longLevel = false;
        if (z != 0) {
            int k = Long.numberOfTrailingZeros(z) >>> 3;
            end = start + k;
            w0 = x & ((1L << (k << 3)) - 1);
        } else {
            // 8 characters and no '/': they all exist, and the level goes on
            w0 = x;
            long y = word(b, start + 8, n);
            long z1 = zeroByte(y ^ SLASHES);
            if (z1 != 0) {
                int k = Long.numberOfTrailingZeros(z1) >>> 3;
                end = start + 8 + k;
                w1 = y & ((1L << (k << 3)) - 1);
            } else {
                end = start + 16;
                while ((z1 = zeroByte(word(b, end, n) ^ SLASHES)) == 0) end += 8;
                end += Long.numberOfTrailingZeros(z1) >>> 3;
                if (end == start + 16) w1 = y; // exactly 16 characters: still packed
                else longLevel = true;
            }
        }
        long result = (long) end << 32;
        if ((flags & LITERALS) == 0) return result;
        return result | (longLevel ? findLong(node, b, start, end) : find(node, w0, w1));
    }

    /** The slot + 1 of the edge from {@code node} for a packed level, or 0. */
    private int find(int node, long w0, long w1) {
        long[] e = edges;
        long want = node + 1L;
        for (int s = slot(node, w0, w1); ; s = (s + 1) & slotMask) {
            int i = s * STRIDE;
            long meta = e[i];
            if (meta == 0) return 0;
            if ((meta & KEY_MASK) == want && e[i + 1] == w0 && e[i + 2] == w1) return s + 1;
        }
    }

    /** The slot + 1 of the edge from {@code node} for a long level b[start, end), or 0. */
    private int findLong(int node, byte[] b, int start, int end) {
        long w0 = hash0(b, start, end);
        long w1 = hash1(b, start, end);
        long[] e = edges;
        long want = (node + 1L) | LONG_LEVEL;
        for (int s = slot(node, w0, w1); ; s = (s + 1) & slotMask) {
            int i = s * STRIDE;
            long meta = e[i];
            if (meta == 0) return 0;
            if ((meta & KEY_MASK) == want && e[i + 1] == w0 && e[i + 2] == w1 && longEquals(s, b, start, end)) {
                return s + 1;
            }
        }
    }

    /** {@link #level} on the chars of a topic, for topics with characters beyond Latin-1, NUL or '?'. */
    private long levelChars(int node, int flags, String topic, int start) {
        // One pass: find the '/' and pack the first 16 characters; 'odd' goes negative for NUL or non-Latin-1.
        int len = topic.length();
        int end = start;
        long w0 = 0;
        long w1 = 0;
        int odd = 0;
        for (int stop = Math.min(len, start + 8); end < stop; end++) {
            int c = topic.charAt(end);
            if (c == '/') break;
            odd |= (c - 1) | (0xFE - (c - 1));
            w0 |= (long) c << ((end - start) << 3);
        }
        if (end == start + 8) {
            for (int stop = Math.min(len, start + 16); end < stop; end++) {
                int c = topic.charAt(end);
                if (c == '/') break;
                odd |= (c - 1) | (0xFE - (c - 1));
                w1 |= (long) c << ((end - start - 8) << 3);
            }
            if (end == start + 16 && end < len && topic.charAt(end) != '/') {
                int slash = topic.indexOf('/', end);
                end = slash < 0 ? len : slash;
                odd = -1;
            }
        }
        long result = (long) end << 32;
        if ((flags & LITERALS) == 0) return result;
        return result | (odd >= 0 ? find(node, w0, w1) : findLong(node, topic, start, end));
    }

    /** The slot + 1 of the edge from {@code node} for a long or non-Latin-1 level topic[start, end), or 0. */
    private int findLong(int node, String topic, int start, int end) {
        long w0 = hash0(topic, start, end);
        long w1 = hash1(topic, start, end);
        long[] e = edges;
        long want = (node + 1L) | LONG_LEVEL;
        for (int s = slot(node, w0, w1); ; s = (s + 1) & slotMask) {
            int i = s * STRIDE;
            long meta = e[i];
            if (meta == 0) return 0;
            if ((meta & KEY_MASK) == want && e[i + 1] == w0 && e[i + 2] == w1 && longEquals(s, topic, start, end)) {
                return s + 1;
            }
        }
    }

    private boolean longEquals(int slot, String topic, int start, int end) {
        int len = end - start;
        if (longLength[slot] != len) return false;
        char[] a = arena;
        int off = longStart[slot];
        for (int i = 0; i < len; i++) if (topic.charAt(start + i) != a[off + i]) return false;
        return true;
    }

    private boolean longEquals(int slot, byte[] b, int start, int end) {
        int len = end - start;
        if (longLength[slot] != len) return false;
        char[] a = arena;
        int off = longStart[slot];
        for (int i = 0; i < len; i++) if ((b[start + i] & 0xFF) != a[off + i]) return false;
        return true;
    }

    // ------------------------------------------------------------------------------------------- Latin-1 bytes

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SLASHES = 0x2F2F2F2F2F2F2F2FL;
    private static final long QUESTION_MARKS = 0x3F3F3F3F3F3F3F3FL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** The topic as Latin-1 bytes, one per char, or null when the char path must be used (see {@link #latin1Hash}). */
    private static byte[] latin1Bytes(String topic) {
        byte[] b = topic.getBytes(StandardCharsets.ISO_8859_1);
        return latin1Hash(topic, b) == 0 ? null : b;
    }

    /**
     * The {@link #topicHash} of {@code b}, the topic's {@code getBytes(ISO_8859_1)}, or 0 when the char path must
     * be used. For a Latin-1 string that call is one array copy; a char it cannot encode becomes {@code '?'} (a
     * surrogate pair becomes ONE {@code '?'}), so a topic whose bytes hold a {@code '?'} (or a NUL, which packing
     * cannot tell from padding) or whose length changed is matched on its chars instead.
     */
    private static long latin1Hash(String topic, byte[] b) {
        int n = b.length;
        if (n != topic.length()) return 0;
        long h = n * 0x9E3779B97F4A7C15L;
        long bad = 0;
        for (int i = 0; i < n; i += 8) {
            long x = word(b, i, n);  // the tail is padded with '/', which is neither NUL nor '?'
            bad |= zeroByte(x) | zeroByte(x ^ QUESTION_MARKS);
            h = (h ^ x) * 0xC2B2AE3D27D4EB4FL;
        }
        return bad != 0 ? 0 : mixTopicHash(h);
    }

    private static long mixTopicHash(long h) {
        h ^= h >>> 29;
        h *= 0x165667B19E3779F9L;
        return h == 0 ? 1 : h;
    }

    /** Hash of a whole topic's Latin-1 bytes, never 0. */
    private static long topicHash(byte[] b) {
        int n = b.length;
        long h = n * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i += 8) h = (h ^ word(b, i, n)) * 0xC2B2AE3D27D4EB4FL;
        return mixTopicHash(h);
    }

    /** Whether topics equal to this literal pattern text take the byte path (see {@link #latin1Bytes}). */
    private static boolean fastPathText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c == '?' || c > 0xFF) return false;
        }
        return true;
    }

    /** The first route of the fully literal routes equal to the topic that accepts it, or -1. */
    private int literal(String topic, byte[] b, long h) {
        int n = b.length;
        long[] t = literals;
        for (int s = (int) (h >>> literalShift); ; s = (s + 1) & literalMask) {
            long k = t[s * 2];
            if (k == 0) return -1;
            if (k == h) {
                long v = t[s * 2 + 1];
                int from = literalStart[s];
                if ((int) (v >>> 32) == n && Arrays.equals(literalText, from, from + n, b, 0, n)) {
                    int node = (int) v & NODE_MASK;
                    if ((v & LITERAL_CHECK) == 0) return nodes[node * NODE + 2];
                    for (int r : exactLists[node]) if (!routes[r].excludes(topic)) return r;
                    return -1;
                }
            }
        }
    }

    /** A word with the high bit set in the lowest zero byte of {@code x} (and maybe above it); 0 when none. */
    private static long zeroByte(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** Eight bytes from {@code i}, the first in the lowest byte; bytes at or past {@code n} read as '/'. */
    private static long word(byte[] b, int i, int n) {
        if (i + 8 <= n) return (long) LONGS.get(b, i);
        int rem = n - i;                  // 0..7 characters left
        if (rem <= 0) return SLASHES;
        long x;
        if (n >= 8) {
            x = (long) LONGS.get(b, n - 8) >>> ((8 - rem) << 3);
        } else {
            x = 0;
            for (int k = 0; k < rem; k++) x |= (b[i + k] & 0xFFL) << (k << 3);
        }
        return x | (SLASHES << (rem << 3));
    }

    private static int child(long meta) {
        return (int) (meta >>> NODE_BITS) & NODE_MASK;
    }

    private static int childFlags(long meta) {
        return (int) (meta >>> 56) & FLAG_MASK;
    }

    // ------------------------------------------------------------------------------------------------- matching

    /** The most specific route that accepts the topic, or null. */
    public Route first(String topic) {
        byte[] bytes = topic.getBytes(StandardCharsets.ISO_8859_1);
        long hash = latin1Hash(topic, bytes);
        if (hash == 0) {
            bytes = null;
        } else if (literals != null) {
            // A fully literal route is literal at every level, so when it accepts the topic it is what the walk
            // would find first; when it excludes the topic the walk goes on to the next most specific route.
            int r = literal(topic, bytes, hash);
            if (r >= 0) return routes[r];
        }
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        int r = first(0, rootFlags, topic, bytes, 0, dollar);
        return r < 0 ? null : routes[r];
    }

    /**
     * The index of the most specific route under {@code node} that accepts the rest of the topic from
     * {@code start}, or -1. Loops down the trie while a node offers one way on, recurses only where it offers a
     * literal child AND an alternative (single-level child or multi-level routes) to fall back to.
     */
    private int first(int node, int flags, String topic, byte[] bytes, int start, boolean dollarAtRoot) {
        int len = topic.length();
        boolean dollar = dollarAtRoot;
        while (start <= len) {
            long x = level(node, flags, topic, bytes, start);
            int next = (int) (x >>> 32) + 1;
            int slot = (int) x - 1;
            if (slot >= 0) {
                long meta = edges[slot * STRIDE];
                if (dollar || (flags & (SINGLE | MULTI)) == 0) {
                    // no alternative here: the literal child's answer is the answer
                    node = child(meta);
                    flags = childFlags(meta);
                    start = next;
                    dollar = false;
                    continue;
                }
                int r = first(child(meta), childFlags(meta), topic, bytes, next, false);
                if (r >= 0) return r;
            }
            if (dollar) return -1;
            if ((flags & SINGLE) != 0) {
                int b = node * NODE;
                if ((flags & MULTI) == 0) {
                    node = nodes[b];
                    flags = nodes[b + 1];
                    start = next;
                    continue;
                }
                int r = first(nodes[b], nodes[b + 1], topic, bytes, next, false);
                if (r >= 0) return r;
            }
            return (flags & MULTI) != 0 ? accepted(node, flags, MULTI_CHECK, 3, multiLists, topic) : -1;
        }
        int r = (flags & EXACT) != 0 ? accepted(node, flags, EXACT_CHECK, 2, exactLists, topic) : -1;
        if (r < 0 && (flags & MULTI) != 0) r = accepted(node, flags, MULTI_CHECK, 3, multiLists, topic);
        return r;
    }

    /** The first route of the node's exact or multi-level list that does not exclude the topic, or -1. */
    private int accepted(int node, int flags, int check, int field, int[][] lists, String topic) {
        if ((flags & check) == 0) return nodes[node * NODE + field];
        for (int r : lists[node]) if (!routes[r].excludes(topic)) return r;
        return -1;
    }

    /** Adds every route that accepts the topic to {@code out}, most specific first. */
    public void all(String topic, List<Route> out) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        all(0, rootFlags, topic, latin1Bytes(topic), 0, dollar, out);
    }

    private void all(int node, int flags, String topic, byte[] bytes, int start, boolean dollarAtRoot, List<Route> out) {
        int len = topic.length();
        if (start > len) {
            addAccepted(exactLists[node], topic, out);
            addAccepted(multiLists[node], topic, out);
            return;
        }
        long x = level(node, flags, topic, bytes, start);
        int next = (int) (x >>> 32) + 1;
        int slot = (int) x - 1;
        if (slot >= 0) {
            long meta = edges[slot * STRIDE];
            all(child(meta), childFlags(meta), topic, bytes, next, false, out);
        }
        if (dollarAtRoot) return;
        if ((flags & SINGLE) != 0) all(nodes[node * NODE], nodes[node * NODE + 1], topic, bytes, next, false, out);
        addAccepted(multiLists[node], topic, out);
    }

    private void addAccepted(int[] list, String topic, List<Route> out) {
        if (list == null) return;
        for (int r : list) if (!routes[r].excludes(topic)) out.add(routes[r]);
    }
}
