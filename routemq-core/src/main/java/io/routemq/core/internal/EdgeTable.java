package io.routemq.core.internal;

import static io.routemq.core.internal.TrieLayout.KEY_MASK;
import static io.routemq.core.internal.TrieLayout.LONG_LEVEL;

/**
 * Every literal edge of the whole trie, in ONE open-addressing {@code long[]} of 32-byte slots
 * {@code [parent + 1 | child | child flags | long-level bit, word0, word1, aux]} (see {@link TrieLayout}).
 *
 * <p><b>Why this layout</b> (figures in docs/performance.md, router section). At 100k routes the table is tens of MB
 * and each level below the top two is a cache miss, so what a match costs is the number of distinct lines it reads:
 * <ul>
 *   <li>a slot is 32 bytes and starts at a multiple of 32 bytes from a 64-byte aligned array start
 *       ({@link #LEAD}), so one probe reads one line;</li>
 *   <li>the slot holds the level's key (two packed words, or two hashes for a long or non-Latin-1 level, whose text
 *       is in {@link #arena} and compared only on a hash hit), the child's flags and the child's aux word, so the
 *       walk needs nothing else to take the step;</li>
 *   <li>a slot's home is the PATH hash of the edge ({@link LevelKeys#mix}), computed from the topic; the parent's
 *       node id is stored and compared, never used to compute an address;</li>
 *   <li>the table is at most a quarter full ({@link #SLOTS_PER_EDGE}): measured at 100k routes, half full cost 10%
 *       more per match and three quarters 40% more (mispredicted probe loops, more lines).</li>
 * </ul>
 * Filled once by the {@link TrieBuilder}, read-only afterwards.
 */
final class EdgeTable {
    /**
     * At least this many slots per edge (rounded up to a power of two): at most a quarter full, a probe ends at its
     * first slot about nine times in ten; the price is 32 to 64 bytes of slots per edge.
     */
    static final int SLOTS_PER_EDGE = 4;
    /** Longs per slot: {@code [meta, word0, word1, aux]}. */
    static final int STRIDE = 4;
    /**
     * Longs before slot 0: with the 16-byte array header, slots start at a multiple of 32 bytes from the array
     * start, so in a 64-byte aligned array (a large array is: G1 starts it at a region) no slot straddles two lines.
     */
    static final int LEAD = 2;

    /** The slots; the walk reads a found slot's words from this array directly. */
    final long[] slots;
    private final int slotMask;
    private final int slotShift;
    /** For slots holding a long (over 16 characters) or non-Latin-1 level: where its text is in {@link #arena}. */
    private int[] longStart;
    private int[] longLength;
    private char[] arena;
    private final StringBuilder longText = new StringBuilder();

    /** An empty table sized for {@code edgeCount} edges. */
    EdgeTable(int edgeCount) {
        int n = Integer.highestOneBit(Math.max(2, edgeCount * SLOTS_PER_EDGE - 1)) << 1; // at most 1/4 full
        if (n <= 0 || n > (1 << 28)) throw new IllegalArgumentException("too many trie edges: " + edgeCount);
        slots = new long[LEAD + n * STRIDE];
        slotMask = n - 1;
        slotShift = 64 - Integer.numberOfTrailingZeros(n);
    }

    /**
     * Places an edge with path hash {@code g}, word 0 {@code meta} (without the long-level bit), key
     * {@code (w0, w1)} and the child's aux word; {@code text} is the level's text when the key is hashed, else null.
     */
    void place(long g, long meta, long w0, long w1, long aux, String text) {
        int s = (int) (g >>> slotShift);
        while (slots[LEAD + s * STRIDE] != 0) s = (s + 1) & slotMask;
        int i = LEAD + s * STRIDE;
        slots[i] = text == null ? meta : meta | LONG_LEVEL;
        slots[i + 1] = w0;
        slots[i + 2] = w1;
        slots[i + 3] = aux;
        if (text != null) {
            if (longStart == null) {
                longStart = new int[slotMask + 1];
                longLength = new int[slotMask + 1];
            }
            longStart[s] = longText.length();
            longLength[s] = text.length();
            longText.append(text);
        }
    }

    /** Ends the building: the text of hashed levels goes into one shared {@code char[]}. */
    void seal() {
        arena = longText.toString().toCharArray();
        longText.setLength(0);
    }

    /**
     * Where the literal edge from {@code node} (path hash {@code g} of the edge) for the level topic[start, end)
     * keyed {@code (w0, w1)} starts in {@link #slots}, or -1 when there is none.
     */
    int find(int node, long g, long w0, long w1, boolean hashed, String topic, byte[] bytes, int start, int end) {
        long[] e = slots;
        long want = hashed ? (node + 1L) | LONG_LEVEL : node + 1L;
        for (int s = (int) (g >>> slotShift); ; s = (s + 1) & slotMask) {
            int i = LEAD + s * STRIDE;
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
}
