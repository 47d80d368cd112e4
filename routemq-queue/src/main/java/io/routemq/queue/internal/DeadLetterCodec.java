package io.routemq.queue.internal;

import io.routemq.queue.DeadLetter;
import io.routemq.queue.QueueCorruptedException;
import io.routemq.queue.QueueRecord;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Encoding of a dead letter inside a dead-letter log record: {@code version(byte) originalOffset(long)
 * attempts(int) firstFailureMillis(long) lastFailureMillis(long) errorLength(int) error(UTF-8)
 * payloadLength(int) payload}. The record's own timestamp is the dead-lettered time.
 */
final class DeadLetterCodec {
    static final int MAX_ERROR_CHARS = 4000;
    private static final byte VERSION = 1;

    private DeadLetterCodec() {
    }

    static byte[] encode(byte[] payload, long originalOffset, String lastError, int attempts, Instant first,
                         Instant last) {
        String err = lastError.length() > MAX_ERROR_CHARS ? lastError.substring(0, MAX_ERROR_CHARS) + "..." : lastError;
        byte[] e = err.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 8 + 8 + 4 + e.length + 4 + payload.length);
        b.put(VERSION).putLong(originalOffset).putInt(attempts).putLong(first.toEpochMilli())
                .putLong(last.toEpochMilli()).putInt(e.length).put(e).putInt(payload.length).put(payload);
        return b.array();
    }

    static DeadLetter decode(String sink, QueueRecord r, String where) {
        try {
            ByteBuffer b = ByteBuffer.wrap(r.payload());
            byte v = b.get();
            if (v != VERSION) {
                throw new QueueCorruptedException("dead letter " + r.offset() + " in " + where
                        + " has unknown format version " + v + " - use a matching RouteMQ version");
            }
            long originalOffset = b.getLong();
            int attempts = b.getInt();
            Instant first = Instant.ofEpochMilli(b.getLong());
            Instant last = Instant.ofEpochMilli(b.getLong());
            byte[] e = new byte[b.getInt()];
            b.get(e);
            byte[] payload = new byte[b.getInt()];
            b.get(payload);
            return new DeadLetter(r.offset(), sink, originalOffset, payload, new String(e, StandardCharsets.UTF_8),
                    attempts, first, last, Instant.ofEpochMilli(r.appendedAtMillis()));
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new QueueCorruptedException("dead letter " + r.offset() + " in " + where
                    + " is malformed (its CRC was fine, so it was written by an incompatible version): " + e);
        }
    }
}
