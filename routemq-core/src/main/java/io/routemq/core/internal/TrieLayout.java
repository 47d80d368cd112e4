package io.routemq.core.internal;

/**
 * The bit layouts the trie's builder writes and its walk reads: a node's flags, the edge slot's first word, and a
 * node's aux word. They live in one place because the builder and the walk must agree on every bit.
 *
 * <p><b>Why flags travel in the edge.</b> The flags of a node sit in the edge that leads to it (and in its parent's
 * aux word for a single-level child), so the walk knows what a child offers (literal children, a single-level
 * child, exact or multi-level routes) from the line it already read, and never probes a node without literal
 * children. The aux word names a node's single-level child and first exact route, so stepping through a {@code +}
 * or ending at a node reads nothing more.
 */
final class TrieLayout {
    private TrieLayout() {
    }

    // ---- node flags (7 bits), kept in the edge that leads to a node ----
    /** The node has literal children (edges in the {@link EdgeTable}). */
    static final int LITERALS = 1;
    /** The node has a single-level ({@code +} / {@code {x}}) child. */
    static final int SINGLE = 2;
    /** Routes end at the node. */
    static final int EXACT = 4;
    /** Multi-level routes ({@code #} / {@code {x...}}) hang on the node. */
    static final int MULTI = 8;
    /** A route ending at the node has excludes, so the list must be checked, not just its first route. */
    static final int EXACT_CHECK = 16;
    /** A multi-level route of the node has excludes. */
    static final int MULTI_CHECK = 32;
    /**
     * The node is a leaf with one route (exact or multi-level, as the flags say) and no excludes; the edge's child
     * field holds that route's index instead of the node id, so the walk ends without reading a node record, and the
     * node has none: no id, no entry in the per-node arrays.
     */
    static final int LEAF = 64;
    static final int FLAG_MASK = 0x7F;

    // ---- edge slot word 0: bits 0-27 parent + 1 (0 = empty slot), 28-55 child, 56-62 child flags, 63 long level ----
    static final int NODE_BITS = 28;
    static final int NODE_MASK = (1 << NODE_BITS) - 1;
    /** The most nodes a trie may have (node ids and parent + 1 must fit in 28 bits). */
    static final int MAX_NODES = NODE_MASK - 1;
    /** In an edge's word 0: the level is keyed by hashes, its text is in the edge table's arena. */
    static final long LONG_LEVEL = Long.MIN_VALUE;
    /** The bits of word 0 that identify an edge's parent and kind of key. */
    static final long KEY_MASK = NODE_MASK | LONG_LEVEL;

    // ---- aux word: bits 0-27 single-level child (or its leaf route), 28-34 its flags, 35-63 first exact route + 1 ----
    static final int AUX_EXACT_SHIFT = 35;
    static final int AUX_EXACT_LIMIT = (1 << 29) - 1;

    /** The child (node id, or route of a {@link #LEAF}) of an edge's word 0. */
    static int child(long meta) {
        return (int) (meta >>> NODE_BITS) & NODE_MASK;
    }

    /** The child's flags in an edge's word 0. */
    static int childFlags(long meta) {
        return (int) (meta >>> 56) & FLAG_MASK;
    }

    /** The single-level child (node id, or route of a {@link #LEAF}) named by an aux word. */
    static int singleChild(long aux) {
        return (int) aux & NODE_MASK;
    }

    /** The single-level child's flags in an aux word. */
    static int singleFlags(long aux) {
        return (int) (aux >>> NODE_BITS) & FLAG_MASK;
    }

    /**
     * Whether a {@link #LEAF} entered with the rest of the topic from {@code next} accepts the topic: its
     * multi-level route always, its exact route when the topic ends with the leaf's level.
     */
    static boolean leafMatches(int flags, int next, int len) {
        return (flags & MULTI) != 0 || next > len;
    }
}
