package io.routemq.core.internal;

import io.routemq.core.Route;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.routemq.core.internal.LevelKeys.word;
import static io.routemq.core.internal.TrieLayout.NODE_BITS;
import static io.routemq.core.internal.TrieLayout.NODE_MASK;

/**
 * The fully literal routes indexed by their whole text. A literal route is literal at every level, so when one
 * equals the topic and does not exclude it, it is exactly what the walk would find first: {@code first} asks this
 * index before walking.
 *
 * <p><b>Why this layout</b> (figures in docs/performance.md, router section; at 100k routes, where each line read is a
 * cache miss):
 * <ul>
 *   <li>each record is one 64-byte line ({@link #REC} longs from a 64-byte boundary, {@link #LEAD}) holding the key,
 *       the route and the first {@link #INLINE} bytes of the text, so a hit costs one line; a longer text spills to
 *       {@link #spill}. Four arrays (slot, start offset, text, node record) cost about 50 ns more at 100k routes;</li>
 *   <li>the table is at most a third full ({@link #RECORDS_PER_LITERAL}), so a probe rarely reads a second record:
 *       2 records per route measured 98-107 ns against 80 ns, 6 no better than 3;</li>
 *   <li>a bit filter ({@link #FILTER_BITS} per literal route, two bits per topic) answers most topics that are not
 *       literal routes without touching the table (91-93 ns without it, against 85 ns);</li>
 *   <li>the route of a record is read from {@link #routeOf}, indexed by the record, so its load does not wait for the
 *       record's.</li>
 * </ul>
 */
final class LiteralIndex {
    /** In a record's target word: a route ending at the node has excludes (the record holds the node, not a route). */
    private static final int CHECK = 1 << NODE_BITS;
    /** Longs per record: {@code [key, target | spill offset << 32, 6 words of text]}, one cache line. */
    private static final int REC = 8;
    /** Longs before record 0: 16-byte header + 48 bytes puts every record on a 64-byte boundary of an aligned array. */
    private static final int LEAD = 6;
    /** Topic bytes held in a record; the rest of a longer topic is in {@link #spill}. */
    private static final int INLINE = 48;
    /** Records per literal route: the table is at most a third full. */
    private static final int RECORDS_PER_LITERAL = 3;
    /** Filter bits per literal route. */
    private static final int FILTER_BITS = 8;

    /**
     * One fully literal pattern: its text, its node (-1 for a leaf node, which has no id; a leaf has no excludes), the
     * node's first exact route, and whether any route ending there has excludes.
     */
    record Entry(String text, int node, int firstRoute, boolean excludes) {
    }

    private final long[] records;
    private final int slots;
    /** The route of each record (null for a record of a node with excludes). */
    private final Route[] routeOf;
    /** The text of literal routes past their first {@link #INLINE} bytes. */
    private final byte[] spill;
    /** Two bits per literal route, set at {@link #filterWord} of its topic hash. */
    private final long[] filter;
    private final int filterShift;
    private final Route[] routes;
    private final int[][] exactLists;

    /**
     * Indexes the entries (text that {@link LevelKeys#fastPathText} accepts), over the trie's routes and its nodes'
     * exact lists; null when there are none.
     */
    static LiteralIndex of(List<Entry> entries, Route[] routes, int[][] exactLists) {
        return entries.isEmpty() ? null : new LiteralIndex(entries, routes, exactLists);
    }

    private LiteralIndex(List<Entry> entries, Route[] routes, int[][] exactLists) {
        this.routes = routes;
        this.exactLists = exactLists;
        int count = entries.size();
        long n = Math.max(2L, (long) count * RECORDS_PER_LITERAL);
        if (LEAD + n * REC > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many literal routes: " + count);
        slots = (int) n;
        records = new long[LEAD + slots * REC];
        routeOf = new Route[slots];
        int fwords = Math.max(1, Integer.highestOneBit(Math.max(1, count * FILTER_BITS / 64 - 1)) << 1);
        filter = new long[fwords];
        filterShift = 64 - Integer.numberOfTrailingZeros(fwords);
        ByteArrayOutputStream over = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] bytes = e.text().getBytes(StandardCharsets.ISO_8859_1);
            int tl = bytes.length;
            long h = LevelKeys.topicHash(bytes);
            int s = home(h);
            while (records[LEAD + s * REC] != 0) if (++s == slots) s = 0;
            int i = LEAD + s * REC;
            records[i] = recordKey(h, tl);
            filter[filterWord(h)] |= filterBits(h);
            long target = e.excludes() ? e.node() | (long) CHECK : e.firstRoute();
            if (tl > INLINE) {
                target |= (long) over.size() << 32;
                over.write(bytes, INLINE, tl - INLINE);
            }
            records[i + 1] = target;
            if (!e.excludes()) routeOf[s] = routes[e.firstRoute()];
            for (int w = 0; w < INLINE / 8; w++) records[i + 2 + w] = word(bytes, w * 8, tl);
        }
        spill = over.toByteArray();
    }

    /** The home record of a topic hash: its low half scaled to the table (the key holds the high half). */
    private int home(long h) {
        return (int) (((h & 0xFFFFFFFFL) * slots) >>> 32);
    }

    /** A record's key word: the high half of the topic hash, a never-zero bit, the topic length. */
    private static long recordKey(long h, int length) {
        return (h & 0xFFFFFFFF00000000L) | 0x80000000L | length;
    }

    private int filterWord(long h) {
        return filter.length == 1 ? 0 : (int) ((h * 0x9E3779B97F4A7C15L) >>> filterShift);
    }

    private static long filterBits(long h) {
        long f = h * 0x9E3779B97F4A7C15L;
        return (1L << f) | (1L << (f >>> 6));
    }

    /**
     * The first of the fully literal routes equal to the topic ({@code b} its Latin-1 bytes, {@code h} their
     * {@link LevelKeys#latin1Hash}) that accepts it, or null.
     */
    Route find(String topic, byte[] b, long h) {
        int n = b.length;
        long bits = filterBits(h);
        if ((filter[filterWord(h)] & bits) != bits) return null;
        long[] t = records;
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
                    same = Arrays.equals(spill, from, from + n - INLINE, b, INLINE, n);
                }
                if (same) {
                    if ((v & CHECK) == 0) return routeOf[s];
                    for (int r : exactLists[(int) v & NODE_MASK]) if (!routes[r].excludes(topic)) return routes[r];
                    return null;
                }
            }
            if (++s == slots) s = 0;
        }
    }
}
