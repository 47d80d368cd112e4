package io.routemq.bench.e2e;

import java.nio.ByteBuffer;
import java.time.Instant;
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
 *       12  long     publish time: wall-clock nanoseconds since the epoch ({@link #wallNanos()}); the publishers
 *                    and every receiver run on one machine and share its clock, whatever process they are in
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

    /** The wall clock in nanoseconds since the epoch (microsecond resolution on Linux): comparable across processes. */
    static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
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
