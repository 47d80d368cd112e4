package io.routemq.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * How the trie reads a topic: where its levels end, the key of each level, and the hashes built from the keys.
 * Stateless; every method is static so that the walk inlines it.
 *
 * <p><b>Why bytes and packed keys.</b> The textbook trie spent its time finding each {@code /} with
 * {@code String.indexOf} (about 10 ns a call) and hashing each level again character by character. Here a topic is
 * read as Latin-1 bytes ({@code getBytes(ISO_8859_1)}, one array copy for the usual Latin-1 string), 8 characters
 * per {@code long} load, and the {@code /} is found with bit tricks, without a branch per character. A level of at
 * most 16 Latin-1 characters (none NUL) is packed into two {@code long}s that ARE its key, so it is verified without
 * touching any string; a longer or non-Latin-1 level carries two hashes instead ({@link #HASHED_LEVEL}) and is
 * verified against its text by the {@link EdgeTable}. Topics with characters beyond Latin-1, {@code '?'} or NUL (see
 * {@link #latin1Hash}) take an equivalent char-by-char path that yields the same keys.
 *
 * <p>An edge is found by a PATH hash ({@link #mix}): the hash of the level keys from the root down to the edge,
 * single-level steps included ({@link #SINGLE_KEY}), computed from the topic as the walk goes, so the address of each
 * probe depends on the topic and the branches taken, never on a value loaded from the table before it.
 */
final class LevelKeys {
    private LevelKeys() {
    }

    /**
     * Word 1 of a single-level step: a packed level fills its bytes from the lowest up, so no packed level has this
     * word 1 (a zero byte below a non-zero one), and hashed levels are told apart by the edge's long-level bit.
     */
    static final long SINGLE_KEY = 0xFF00_0000_0000_0000L;
    /** The path hash of the root. */
    static final long ROOT_HASH = 0x6A09E667F3BCC909L;
    /** In {@link #levelEnd}'s result: the level is keyed by hashes (over 16 characters, or not packable). */
    static final int HASHED_LEVEL = 1 << 30;
    /** The end index in {@link #levelEnd}'s result. */
    static final int END_MASK = HASHED_LEVEL - 1;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SLASHES = 0x2F2F2F2F2F2F2F2FL;
    private static final long QUESTION_MARKS = 0x3F3F3F3F3F3F3F3FL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    // ------------------------------------------------------------------------------------- keys of pattern levels

    /** Whether s[from, to) is stored packed: at most 16 characters, each in 1..255 (so the words are the text). */
    static boolean packable(String s, int from, int to) {
        if (to - from > 16) return false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0xFF) return false;
        }
        return true;
    }

    /** s[from, to), at most 8 Latin-1 characters, one per byte, the first in the lowest byte. */
    static long pack(String s, int from, int to) {
        long w = 0;
        for (int i = from; i < to; i++) w |= (long) s.charAt(i) << ((i - from) << 3);
        return w;
    }

    /** First hash of a level that is not packable. */
    static long hash0(String s, int from, int to) {
        long h = 0x243F6A8885A308D3L;
        for (int i = from; i < to; i++) h = (h ^ s.charAt(i)) * 0x100000001B3L;
        return h;
    }

    /** Second hash of a level that is not packable; includes the length. */
    static long hash1(String s, int from, int to) {
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
    static long mix(long h, long w0, long w1) {
        long x = (w0 + h) * 0xC2B2AE3D27D4EB4FL;
        x = (x ^ (x >>> 29) ^ w1) * 0x165667B19E3779F9L;
        return x ^ (x >>> 32);
    }

    // --------------------------------------------------------------------------------------- levels of a topic

    /**
     * The end of the topic level that starts at {@code start}: the index of the {@code /} after it, or the topic
     * length; with {@link #HASHED_LEVEL} set when the level is keyed by hashes rather than packed. Reads the
     * topic's Latin-1 bytes when {@code bytes} is not null (see {@link #latin1Bytes}), its chars otherwise.
     */
    static int levelEnd(String topic, byte[] bytes, int start) {
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
    static long key0(String topic, byte[] bytes, int start, int end, boolean hashed) {
        if (hashed) return bytes != null ? hash0(bytes, start, end) : hash0(topic, start, end);
        int k = Math.min(end - start, 8);
        return bytes != null ? word(bytes, start, bytes.length) & lowBytes(k) : pack(topic, start, start + k);
    }

    /** Key word 1 of the level topic[start, end). */
    static long key1(String topic, byte[] bytes, int start, int end, boolean hashed) {
        if (hashed) return bytes != null ? hash1(bytes, start, end) : hash1(topic, start, end);
        int k = end - start - 8;
        if (k <= 0) return 0;
        return bytes != null ? word(bytes, start + 8, bytes.length) & lowBytes(k) : pack(topic, start + 8, end);
    }

    /** A mask of the lowest {@code k} bytes, 1 <= k <= 8. */
    private static long lowBytes(int k) {
        return k >= 8 ? -1L : (1L << (k << 3)) - 1;
    }

    // ------------------------------------------------------------------------------------------- Latin-1 bytes

    /** The topic as Latin-1 bytes, one per char, or null when the char path must be used (see {@link #latin1Hash}). */
    static byte[] latin1Bytes(String topic) {
        byte[] b = topic.getBytes(StandardCharsets.ISO_8859_1);
        return latin1Hash(topic, b) == 0 ? null : b;
    }

    /**
     * The {@link #topicHash} of {@code b}, the topic's {@code getBytes(ISO_8859_1)}, or 0 when the char path must
     * be used. For a Latin-1 string that call is one array copy; a char it cannot encode becomes {@code '?'} (a
     * surrogate pair becomes ONE {@code '?'}), so a topic whose bytes hold a {@code '?'} (or a NUL, which packing
     * cannot tell from padding) or whose length changed is matched on its chars instead.
     */
    static long latin1Hash(String topic, byte[] b) {
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

    /** Hash of a whole topic's Latin-1 bytes, never 0; equals {@link #latin1Hash} where that is not 0. */
    static long topicHash(byte[] b) {
        int n = b.length;
        long h = n * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < n; i += 8) h = (h ^ word(b, i, n)) * 0xC2B2AE3D27D4EB4FL;
        return mixTopicHash(h);
    }

    /** Whether topics equal to this literal pattern text take the byte path (see {@link #latin1Bytes}). */
    static boolean fastPathText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || c == '?' || c > 0xFF) return false;
        }
        return true;
    }

    /** A word with the high bit set in the lowest zero byte of {@code x} (and maybe above it); 0 when none. */
    private static long zeroByte(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** Eight bytes from {@code i}, the first in the lowest byte; bytes at or past {@code n} read as '/'. */
    static long word(byte[] b, int i, int n) {
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
}
