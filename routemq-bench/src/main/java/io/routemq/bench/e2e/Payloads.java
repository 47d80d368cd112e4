package io.routemq.bench.e2e;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bench payload: a 20-byte binary header, then padding up to the requested size.
 * <pre>
 * offset 0  'R'      magic
 *        1  phase    which bench phase sent it (warm-up, measured, half load), so late messages of an earlier
 *                    phase are not counted in a later one
 *        2  short    publisher index
 *        4  int      topic index (into {@link TopicTree})
 *        8  int      sequence number on that topic, from 0
 *       12  long     publish time, {@link System#nanoTime()} of this JVM (publishers and receivers share the JVM)
 * </pre>
 */
final class Payloads {
    /** Header size: the smallest payload. */
    static final int HEADER = 20;
    static final byte MAGIC = 'R';

    private Payloads() {
    }

    /** A new payload of {@code size} bytes (at least {@link #HEADER}). */
    static byte[] encode(int size, byte phase, int publisher, int topic, int seq, long nanos) {
        byte[] b = new byte[Math.max(HEADER, size)];
        ByteBuffer buf = ByteBuffer.wrap(b);
        buf.put(MAGIC).put(phase).putShort((short) publisher).putInt(topic).putInt(seq).putLong(nanos);
        if (b.length > HEADER) Arrays.fill(b, HEADER, b.length, (byte) 'x');
        return b;
    }

    static boolean valid(byte[] b) {
        return b.length >= HEADER && b[0] == MAGIC;
    }

    static byte phase(byte[] b) {
        return b[1];
    }

    static int topic(byte[] b) {
        return ByteBuffer.wrap(b).getInt(4);
    }

    static int seq(byte[] b) {
        return ByteBuffer.wrap(b).getInt(8);
    }

    static long nanos(byte[] b) {
        return ByteBuffer.wrap(b).getLong(12);
    }
}
