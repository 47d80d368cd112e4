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
 *   <li>Every literal edge of the whole trie lives in ONE open-addressing {@code long[]} of 32-byte slots
 *       {@code [parent | child | child flags, word0, word1, aux]}, aligned so that a slot never straddles two cache
 *       lines: one probe, one line, per level. The slot already says what the child has (literal children, a
 *       single-level child, exact or multi-level routes), so nodes without literal children are never probed, and
 *       its {@code aux} word names the child's single-level child and first exact route, so stepping through a
 *       {@code +} or ending at a node reads nothing more.</li>
 *   <li>An edge to a leaf that holds exactly one route without excludes holds that route instead of the child's
 *       node id, so the walk ends without reading a node record.</li>
 *   <li>An edge's slot is found by a PATH hash: the hash of the level keys from the root down to the edge,
 *       single-level steps included, computed from the topic's bytes as the walk goes. The parent's node id is
 *       stored in the slot and compared, never used to compute an address, so the address of each probe depends
 *       on the topic and the branches taken, not on a value loaded before it.</li>
 *   <li>Fully literal routes are also indexed by their whole text: a literal route is literal at every level, so
 *       when one equals the topic and does not exclude it, it is exactly what the walk would find first. Each
 *       record is one 64-byte line holding the key, the route and the first 48 bytes of the text, so a hit costs
 *       one line; the table is kept at most a third full so that a probe rarely reads a second record. A
 *       bit filter (8 bits per literal route, two bits per topic) answers most topics that are not literal
 *       routes without touching the table.</li>
 * </ul>
 * <p><b>Measured.</b> With 100k routes the tables are tens of MB and every deep level is a cache miss, so what
 * costs is the number of distinct cache lines a match reads, not instructions: that is what the slot sizes, the
 * aux word, the leaf routes, the record layout and the filter cut (docs/performance.md has the figures).
 * Matching allocates only the topic's byte copy (topic length + 16 bytes, short-lived); no state is kept between
 * calls, so concurrent matching needs no synchronisation.
 */
public final class TopicTrie {
    // ---- node flags (7 bits), kept in the edge that leads to a node ----
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
    /**
     * The node is a leaf with one route (exact or multi-level, as the flags say) and no excludes; the edge's child
     * field holds that route's index instead of the node id.
     */
    private static final int LEAF = 64;
    private static final int FLAG_MASK = 0x7F;

    // ---- edge slot word 0: bits 0-27 parent + 1 (0 = empty slot), 28-55 child, 56-62 child flags, 63 long level ----
    private static final int NODE_BITS = 28;
    private static final int NODE_MASK = (1 << NODE_BITS) - 1;
    /** The most nodes a trie may have (node ids and parent + 1 must fit in 28 bits). */
    static final int MAX_NODES = NODE_MASK - 1;
    private static final long LONG_LEVEL = Long.MIN_VALUE;
    private static final long KEY_MASK = NODE_MASK | LONG_LEVEL;
    /**
     * At least this many edge slots per edge (rounded up to a power of two): at most a quarter full, a probe ends
     * at its first slot about nine times in ten. Measured at 100k routes: half full cost 10% more per match, three
     * quarters 40% more (mispredicted probe loops, more lines); the price is 32 to 64 bytes of slots per edge.
     */
    private static final int EDGE_SLOTS_PER_EDGE = 4;
    /** Longs per edge slot: {@code [meta, word0, word1, aux]}. */
    private static final int STRIDE = 4;
    /**
     * Longs before edge slot 0: with the 16-byte array header, slots start at a multiple of 32 bytes from the array
     * start, so in a 64-byte aligned array (a large array is: G1 starts it at a region) no slot straddles two lines.
     */
    private static final int EDGE_LEAD = 2;
    /** In a literal record: a route ending at the node has excludes (the record holds the node, not a route). */
    private static final int LITERAL_CHECK = 1 << NODE_BITS;
    /** Longs per literal record: {@code [key, target | overflow offset << 32, 6 words of text]}, one cache line. */
    private static final int REC = 8;
    /** Longs before record 0: 16-byte header + 48 bytes puts every record on a 64-byte boundary of an aligned array. */
    private static final int LEAD = 6;
    /** Topic bytes held in a literal record; the rest of a longer topic is in {@link #literalText}. */
    private static final int INLINE = 48;
    /** Literal records per literal route: the table is at most a third full. */
    private static final int RECORDS_PER_LITERAL = 3;
    /** Filter bits per literal route. */
    private static final int FILTER_BITS = 8;
    /**
     * Word 1 of a single-level edge: a packed level fills its bytes from the lowest up, so no packed level has
     * this word 1 (a zero byte below a non-zero one), and long levels are told apart by {@link #LONG_LEVEL}.
     */
    private static final long SINGLE_KEY = 0xFF00_0000_0000_0000L;
    /** The path hash of the root. */
    private static final long ROOT_HASH = 0x6A09E667F3BCC909L;
    /** In {@link #levelEnd}'s result: the level is keyed by hashes (over 16 characters, or not packable). */
    private static final int HASHED_LEVEL = 1 << 30;
    private static final int END_MASK = HASHED_LEVEL - 1;

    private final Route[] routes;
    /** Per node: its first exact route and its first multi-level route (-1 when none). */
    private final int[] firstRoutes;
    private final int rootFlags;
    private final long rootAux;
    /** Per node: its {@link #aux} word (read only when a walk steps through a single-level child). */
    private final long[] nodeAux;
    private static final int AUX_EXACT_SHIFT = 35;
    private static final int AUX_EXACT_LIMIT = (1 << 29) - 1;
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
     * Whole-topic index of the fully literal routes, in records of {@link #REC} longs: {@link #recordKey}, the route
     * (or, with {@link #LITERAL_CHECK}, the node) with the offset of the text past {@link #INLINE} bytes in
     * {@link #literalText} in the high half, then the text's first words as {@link #word} reads them; null when
     * there are no literal routes.
     */
    private final long[] literals;
    private final int literalSlots;
    /**
     * The route of each literal record (null for a record of a node with excludes): indexed by the record, not by
     * a value read from it, so its load does not wait for the record's.
     */
    private final Route[] literalRoutes;
    /** The text of literal routes past their first {@link #INLINE} bytes. */
    private final byte[] literalText;
    /** Two bits per literal route, set at {@link #filterWord} of its topic hash. */
    private final long[] literalFilter;
    private final int filterShift;

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
        firstRoutes = new int[n * 2];
        nodeAux = new long[n];
        exactLists = new int[n][];
        multiLists = new int[n][];
        int slots = Integer.highestOneBit(Math.max(2, edgeCount * EDGE_SLOTS_PER_EDGE - 1)) << 1; // at most 1/4 full
        if (slots <= 0 || slots > (1 << 28)) throw new IllegalArgumentException("too many trie edges: " + edgeCount);
        edges = new long[EDGE_LEAD + slots * STRIDE];
        slotMask = slots - 1;
        slotShift = 64 - Integer.numberOfTrailingZeros(slots);
        int[] lStart = null;
        int[] lLength = null;
        StringBuilder longText = new StringBuilder();
        root.hash = ROOT_HASH;
        for (Builder b : order) { // breadth first: a node's path hash is set before its edges are placed
            firstRoutes[b.id * 2] = b.exact.isEmpty() ? -1 : b.exact.get(0);
            firstRoutes[b.id * 2 + 1] = b.multi.isEmpty() ? -1 : b.multi.get(0);
            exactLists[b.id] = toArray(b.exact);
            multiLists[b.id] = toArray(b.multi);
            nodeAux[b.id] = aux(b);
            if (b.single != null) b.single.hash = mix(b.hash, 0, SINGLE_KEY);
            if (b.literals != null) {
                for (Map.Entry<String, Builder> e : b.literals.entrySet()) {
                    String text = e.getKey();
                    int len = text.length();
                    boolean packed = packable(text, 0, len);
                    long w0 = packed ? pack(text, 0, Math.min(len, 8)) : hash0(text, 0, len);
                    long w1 = packed ? (len > 8 ? pack(text, 8, len) : 0) : hash1(text, 0, len);
                    int s = place(b, e.getValue(), w0, w1, packed ? 0 : LONG_LEVEL);
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
        }
        rootFlags = root.flags();
        rootAux = nodeAux[0];

        // The whole-topic index: a literal route's text, as Latin-1 bytes, leads straight to its route.
        List<Builder> literalNodes = new ArrayList<>();
        for (Builder b : order) if (b.literalText != null && fastPathText(b.literalText)) literalNodes.add(b);
        if (literalNodes.isEmpty()) {
            literals = null;
            literalFilter = null;
            filterShift = 0;
            literalText = null;
            literalRoutes = null;
            literalSlots = 0;
        } else {
            int count = literalNodes.size();
            long nslots = Math.max(2L, (long) count * RECORDS_PER_LITERAL);
            if (LEAD + nslots * REC > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many literal routes: " + count);
            literalSlots = (int) nslots;
            literals = new long[LEAD + literalSlots * REC];
            literalRoutes = new Route[literalSlots];
            int fwords = Math.max(1, Integer.highestOneBit(Math.max(1, count * FILTER_BITS / 64 - 1)) << 1);
            literalFilter = new long[fwords];
            filterShift = 64 - Integer.numberOfTrailingZeros(fwords);
            java.io.ByteArrayOutputStream over = new java.io.ByteArrayOutputStream();
            for (Builder b : literalNodes) {
                byte[] bytes = b.literalText.getBytes(StandardCharsets.ISO_8859_1);
                int tl = bytes.length;
                long h = topicHash(bytes);
                int s = home(h);
                while (literals[LEAD + s * REC] != 0) if (++s == literalSlots) s = 0;
                int i = LEAD + s * REC;
                literals[i] = recordKey(h, tl);
                literalFilter[filterWord(h)] |= filterBits(h);
                long target = b.exactExcludes ? b.id | (long) LITERAL_CHECK : b.exact.get(0);
                if (tl > INLINE) {
                    target |= (long) over.size() << 32;
                    over.write(bytes, INLINE, tl - INLINE);
                }
                literals[i + 1] = target;
                if (!b.exactExcludes) literalRoutes[s] = routes[b.exact.get(0)];
                for (int w = 0; w < INLINE / 8; w++) literals[i + 2 + w] = word(bytes, w * 8, tl);
            }
            literalText = over.toByteArray();
        }

        longStart = lStart;
        longLength = lLength;
        arena = longText.toString().toCharArray();
    }

    /**
     * Places the edge {@code parent -> child} keyed by {@code (w0, w1)}, sets the child's path hash, and returns
     * the slot.
     */
    private int place(Builder parent, Builder child, long w0, long w1, long longBit) {
        long g = mix(parent.hash, w0, w1);
        child.hash = g;
        int only = child.onlyRoute();
        boolean leaf = only >= 0 && only <= NODE_MASK;
        long meta = (parent.id + 1L) | ((long) (leaf ? only : child.id) << NODE_BITS)
                | ((long) (child.flags() | (leaf ? LEAF : 0)) << 56) | longBit;
        int s = (int) (g >>> slotShift);
        while (edges[EDGE_LEAD + s * STRIDE] != 0) s = (s + 1) & slotMask;
        int i = EDGE_LEAD + s * STRIDE;
        edges[i] = meta;
        edges[i + 1] = w0;
        edges[i + 2] = w1;
        edges[i + 3] = aux(child);
        return s;
    }

    /**
     * A node's aux word: bits 0-27 its single-level child (or, for a {@link #LEAF}, that leaf's route), 28-34 that
     * child's flags, 35-63 the node's first exact route + 1 (0 when none or too large: read {@link #firstRoutes}).
     */
    private static long aux(Builder b) {
        long a = 0;
        if (b.single != null) {
            int only = b.single.onlyRoute();
            boolean leaf = only >= 0 && only <= NODE_MASK;
            a = (leaf ? only : b.single.id) | ((long) (b.single.flags() | (leaf ? LEAF : 0)) << NODE_BITS);
        }
        if (!b.exact.isEmpty() && b.exact.get(0) < AUX_EXACT_LIMIT) a |= (b.exact.get(0) + 1L) << AUX_EXACT_SHIFT;
        return a;
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
        /** The path hash: {@link #mix} of the level keys from the root. */
        long hash;

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

    /**
     * The path hash of the edge keyed {@code (w0, w1)} below a node whose path hash is {@code h}; its high bits are
     * the edge's home slot. Depends on the topic's levels only, never on a node id (see the class comment).
     */
    private static long mix(long h, long w0, long w1) {
        long x = (w0 + h) * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ (x >>> 29) ^ w1) * 0x165667B19E3779F9L;
        return x ^ (x >>> 32);
    }

    /**
     * The end of the topic level that starts at {@code start}: the index of the {@code /} after it, or the topic
     * length; with {@link #HASHED_LEVEL} set when the level is keyed by hashes rather than packed. Reads the
     * topic's Latin-1 bytes when {@code bytes} is not null (see {@link #latin1Bytes}), its chars otherwise.
     */
    private static int levelEnd(String topic, byte[] bytes, int start) {
        return bytes != null ? levelEndBytes(bytes, start) : levelEndChars(topic, start);
    }

    /** {@link #levelEnd} on Latin-1 bytes: 8 characters per load, the '/' found with bit tricks. */
    private static int levelEndBytes(byte[] b, int start) {
        int n = b.length;
        long z = zeroByte(word(b, start, n) ^ SLASHES);
        if (z != 0) return start + (Long.numberOfTrailingZeros(z) >>> 3);
        z = zeroByte(word(b, start + 8, n) ^ SLASHES);
        if (z != 0) return start + 8 + (Long.numberOfTrailingZeros(z) >>> 3);
        int end = start + 16;
        while ((z = zeroByte(word(b, end, n) ^ SLASHES)) == 0) end += 8;
        end += Long.numberOfTrailingZeros(z) >>> 3;
        return end == start + 16 ? end : end | HASHED_LEVEL; // exactly 16 characters are still packed
    }

    /** {@link #levelEnd} on chars, for topics with characters beyond Latin-1, NUL or '?'. */
    private static int levelEndChars(String topic, int start) {
        int len = topic.length();
        int end = start;
        int odd = 0; // goes negative for NUL or a character beyond Latin-1
        for (; end < len; end++) {
            int c = topic.charAt(end);
            if (c == '/') break;
            odd |= (c - 1) | (0xFE - (c - 1));
        }
        return odd < 0 || end - start > 16 ? end | HASHED_LEVEL : end;
    }

    /** Key word 0 of the level topic[start, end) (see {@link #levelEnd} for {@code hashed}). */
    private static long key0(String topic, byte[] bytes, int start, int end, boolean hashed) {
        if (hashed) return bytes != null ? hash0(bytes, start, end) : hash0(topic, start, end);
        int k = Math.min(end - start, 8);
        return bytes != null ? word(bytes, start, bytes.length) & lowBytes(k) : pack(topic, start, start + k);
    }

    /** Key word 1 of the level topic[start, end). */
    private static long key1(String topic, byte[] bytes, int start, int end, boolean hashed) {
        if (hashed) return bytes != null ? hash1(bytes, start, end) : hash1(topic, start, end);
        int k = end - start - 8;
        if (k <= 0) return 0;
        return bytes != null ? word(bytes, start + 8, bytes.length) & lowBytes(k) : pack(topic, start + 8, end);
    }

    /** A mask of the lowest {@code k} bytes, 1 <= k <= 8. */
    private static long lowBytes(int k) {
        return k >= 8 ? -1L : (1L << (k << 3)) - 1;
    }

    /**
     * Where the literal edge from {@code node} (path hash {@code g} of the edge) for the level topic[start, end)
     * keyed {@code (w0, w1)} starts in {@link #edges}, or -1 when there is none.
     */
    private int findLiteral(int node, long g, long w0, long w1, boolean hashed, String topic, byte[] bytes,
                            int start, int end) {
        long[] e = edges;
        long want = hashed ? (node + 1L) | LONG_LEVEL : node + 1L;
        for (int s = (int) (g >>> slotShift); ; s = (s + 1) & slotMask) {
            int i = EDGE_LEAD + s * STRIDE;
            long meta = e[i];
            if (meta == 0) return -1;
            if ((meta & KEY_MASK) == want && e[i + 1] == w0 && e[i + 2] == w1
                    && (!hashed || longEquals(s, topic, bytes, start, end))) {
                return i;
            }
        }
    }

    private boolean longEquals(int slot, String topic, byte[] bytes, int start, int end) {
        return bytes != null ? longEquals(slot, bytes, start, end) : longEquals(slot, topic, start, end);
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

    /** The home record of a topic hash: its low half scaled to the table (the key holds the high half). */
    private int home(long h) {
        return (int) (((h & 0xFFFFFFFFL) * literalSlots) >>> 32);
    }

    /** A literal record's key word: the high half of the topic hash, a never-zero bit, the topic length. */
    private static long recordKey(long h, int length) {
        return (h & 0xFFFFFFFF00000000L) | 0x80000000L | length;
    }

    private int filterWord(long h) {
        return literalFilter.length == 1 ? 0 : (int) ((h * 0x9E3779B97F4A7C15L) >>> filterShift);
    }

    private static long filterBits(long h) {
        long f = h * 0x9E3779B97F4A7C15L;
        return (1L << f) | (1L << (f >>> 6));
    }

    /** The first route of the fully literal routes equal to the topic that accepts it, or null. */
    private Route literal(String topic, byte[] b, long h) {
        int n = b.length;
        long bits = filterBits(h);
        if ((literalFilter[filterWord(h)] & bits) != bits) return null;
        long[] t = literals;
        long want = recordKey(h, n);
        int words = Math.min(INLINE / 8, (n + 7) >>> 3);
        for (int s = home(h); ; ) {
            int i = LEAD + s * REC;
            long k = t[i];
            if (k == 0) return null;
            if (k == want) {
                boolean same = true;
                for (int w = 0; w < words; w++) {
                    if (t[i + 2 + w] != word(b, w * 8, n)) {
                        same = false;
                        break;
                    }
                }
                long v = t[i + 1];
                if (same && n > INLINE) {
                    int from = (int) (v >>> 32);
                    same = Arrays.equals(literalText, from, from + n - INLINE, b, INLINE, n);
                }
                if (same) {
                    if ((v & LITERAL_CHECK) == 0) return literalRoutes[s];
                    for (int r : exactLists[(int) v & NODE_MASK]) if (!routes[r].excludes(topic)) return routes[r];
                    return null;
                }
            }
            if (++s == literalSlots) s = 0;
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
            Route r = literal(topic, bytes, hash);
            if (r != null) return r;
        }
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        int r = first(0, ROOT_HASH, rootFlags, rootAux, topic, bytes, 0, dollar);
        return r < 0 ? null : routes[r];
    }
    /**
     * The index of the most specific route under {@code node} (path hash {@code h}, {@link #aux} word {@code aux})
     * that accepts the rest of the topic from {@code start}, or -1. Loops down the trie while a node offers one way
     * on, recurses only where it offers a literal child AND an alternative (single-level child or multi-level
     * routes) to fall back to.
     */
    private int first(int node, long h, int flags, long aux, String topic, byte[] bytes, int start,
                      boolean dollarAtRoot) {
        int len = topic.length();
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
                int i = findLiteral(node, g, w0, w1, hashed, topic, bytes, start, end);
                if (i >= 0) {
                    long meta = edges[i];
                    int cf = childFlags(meta);
                    if ((cf & LEAF) != 0) {
                        int r = leaf(child(meta), cf, next, len);
                        if (r >= 0) return r;
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
                        int r = first(child(meta), g, cf, edges[i + 3], topic, bytes, next, false);
                        if (r >= 0) return r;
                    }
                }
            }
            if (dollar) return -1;
            if ((flags & SINGLE) != 0) {
                int single = (int) aux & NODE_MASK;
                int sf = (int) (aux >>> NODE_BITS) & FLAG_MASK;
                if ((sf & LEAF) != 0) {
                    int r = leaf(single, sf, next, len);
                    if (r >= 0) return r;
                } else {
                    long g = mix(h, 0, SINGLE_KEY);
                    long singleAux = (sf & (SINGLE | EXACT)) != 0 ? nodeAux[single] : 0;
                    if ((flags & MULTI) == 0) {
                        node = single;
                        h = g;
                        flags = sf;
                        aux = singleAux;
                        start = next;
                        continue;
                    }
                    int r = first(single, g, sf, singleAux, topic, bytes, next, false);
                    if (r >= 0) return r;
                }
            }
            return (flags & MULTI) != 0 ? accepted(node, flags, MULTI_CHECK, 1, multiLists, topic) : -1;
        }
        int r = -1;
        if ((flags & EXACT) != 0) {
            long x = aux >>> AUX_EXACT_SHIFT;
            r = (flags & EXACT_CHECK) == 0 && x != 0 ? (int) x - 1 : accepted(node, flags, EXACT_CHECK, 0, exactLists, topic);
        }
        if (r < 0 && (flags & MULTI) != 0) r = accepted(node, flags, MULTI_CHECK, 1, multiLists, topic);
        return r;
    }

    /**
     * The answer of a {@link #LEAF} holding {@code route}, entered with the rest of the topic from {@code next}: its
     * multi-level route always, its exact route when the topic ends with the leaf's level; else -1.
     */
    private static int leaf(int route, int flags, int next, int len) {
        return (flags & MULTI) != 0 || next > len ? route : -1;
    }

    /** The first route of the node's exact (field 0) or multi-level (1) list that does not exclude the topic, or -1. */
    private int accepted(int node, int flags, int check, int field, int[][] lists, String topic) {
        if ((flags & check) == 0) return firstRoutes[node * 2 + field];
        for (int r : lists[node]) if (!routes[r].excludes(topic)) return r;
        return -1;
    }

    /** Adds every route that accepts the topic to {@code out}, most specific first. */
    public void all(String topic, List<Route> out) {
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        all(0, ROOT_HASH, rootFlags, topic, latin1Bytes(topic), 0, dollar, out);
    }

    /**
     * Adds the routes under {@code node} that accept the rest of the topic from {@code start}, most specific first.
     * Loops down the trie where a node offers one way on and recurses only where a literal child has something
     * after it (a single-level child or multi-level routes), so a chain of thousands of levels needs no deep stack.
     */
    private void all(int node, long h, int flags, String topic, byte[] bytes, int start, boolean dollarAtRoot,
                     List<Route> out) {
        int len = topic.length();
        boolean dollar = dollarAtRoot;
        while (true) {
            if (start > len) {
                addAccepted(exactLists[node], topic, out);
                addAccepted(multiLists[node], topic, out);
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
                int i = findLiteral(node, g, w0, w1, hashed, topic, bytes, start, end);
                if (i >= 0) {
                    long meta = edges[i];
                    int cf = childFlags(meta);
                    if (single || multi || (cf & LEAF) != 0) {
                        allBelow(child(meta), cf, g, topic, bytes, next, out);
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
                int child = (int) aux & NODE_MASK;
                int cf = (int) (aux >>> NODE_BITS) & FLAG_MASK;
                long g = mix(h, 0, SINGLE_KEY);
                if (multi || (cf & LEAF) != 0) {
                    allBelow(child, cf, g, topic, bytes, next, out);
                } else {
                    node = child;
                    h = g;
                    flags = cf;
                    start = next;
                    dollar = false;
                    continue;
                }
            }
            if (multi) addAccepted(multiLists[node], topic, out);
            return;
        }
    }

    /** {@link #all} for the child an edge leads to ({@code child} is a route for a {@link #LEAF}). */
    private void allBelow(int child, int flags, long g, String topic, byte[] bytes, int next, List<Route> out) {
        if ((flags & LEAF) == 0) {
            all(child, g, flags, topic, bytes, next, false, out);
        } else if (leaf(child, flags, next, topic.length()) >= 0) {
            out.add(routes[child]); // a leaf route has no excludes
        }
    }

    private void addAccepted(int[] list, String topic, List<Route> out) {
        if (list == null) return;
        for (int r : list) if (!routes[r].excludes(topic)) out.add(routes[r]);
    }
}
