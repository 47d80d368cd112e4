package io.routemq.queue.internal;

import io.routemq.queue.QueueCorruptedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The on-disk format of a segment file, written and read back.
 *
 * <p>Header {@code magic(int) version(int) baseOffset(long)}, then frames
 * {@code length(int) crc32c(int) offset(long) timestampMillis(long) payload(length bytes)}; the CRC covers the
 * length field and everything after the CRC field.
 */
final class FrameCodec {
    static final int SEGMENT_HEADER = 16;
    static final int FRAME_HEADER = 24;
    static final int SEGMENT_MAGIC = 0x524D5153; // "RMQS"
    static final int SEGMENT_VERSION = 1;
    private static final int READ_CHUNK = 64 * 1024;

    private FrameCodec() {
    }

    /** @return the frame bytes a single payload occupies */
    static long frameBytes(byte[] payload) {
        return FRAME_HEADER + (long) payload.length;
    }

    static void writeHeader(FileChannel ch, long baseOffset) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(SEGMENT_HEADER);
        h.putInt(SEGMENT_MAGIC).putInt(SEGMENT_VERSION).putLong(baseOffset).flip();
        long pos = 0;
        while (h.hasRemaining()) {
            pos += ch.write(h, pos);
        }
    }

    /** Puts one frame at {@code target}'s position, CRC included; {@code crc} is scratch state. */
    static void putFrame(ByteBuffer target, long offset, long timestampMillis, byte[] payload, CRC32C crc) {
        int start = target.position();
        int frame = FRAME_HEADER + payload.length;
        target.putInt(payload.length).putInt(0).putLong(offset).putLong(timestampMillis).put(payload);
        crc.reset();
        ByteBuffer view = target.duplicate();
        view.position(start).limit(start + 4);
        crc.update(view);
        view.limit(start + frame).position(start + 8);
        crc.update(view);
        target.putInt(start + 4, (int) crc.getValue());
    }

    /** Visits frames during a scan. */
    interface FrameVisitor {
        /** @return false to stop (the frame is then not consumed) */
        boolean visit(long offset, long timestamp, long position, ByteBuffer buf, int payloadIndex, int length);
    }

    record ScanResult(long endPosition, long lastOffset, String error) { }

    /**
     * Scans frames of a segment from {@code position} up to {@code limit}. With {@code recovery}, frames must
     * be consecutive from {@code minOffset} and problems are returned; otherwise problems throw.
     */
    static ScanResult scan(String label, Segment seg, long position, long limit, long minOffset, long stopBeforeOffset,
                            int maxFrames, FrameVisitor visitor, boolean recovery) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(READ_CHUNK, Math.max(FRAME_HEADER, limit - position)));
        CRC32C crc = new CRC32C();
        long pos = position;
        long lastOffset = recovery ? seg.baseOffset - 1 : Long.MIN_VALUE;
        int frames = 0;
        while (pos < limit && frames < maxFrames) {
            buf.clear();
            int want = (int) Math.min(buf.capacity(), limit - pos);
            buf.limit(want);
            readFully(seg.channel, buf, pos);
            buf.flip();
            int consumedInChunk = 0;
            boolean needMore = false;
            while (frames < maxFrames) {
                int at = consumedInChunk;
                int avail = buf.limit() - at;
                if (avail <= 0) {
                    break;
                }
                if (avail < FRAME_HEADER) {
                    if (pos + consumedInChunk + avail >= limit) {
                        return problem(label, seg, pos + at, lastOffset, "incomplete frame header (" + avail + " bytes)",
                                recovery);
                    }
                    needMore = true;
                    break;
                }
                int length = buf.getInt(at);
                long framePos = pos + at;
                if (length < 0 || (long) FRAME_HEADER + length > limit - framePos) {
                    return problem(label, seg, framePos, lastOffset, "frame length " + length + " runs past the end of"
                            + " the data (" + (limit - framePos) + " bytes left)", recovery);
                }
                int frameLen = FRAME_HEADER + length;
                if (frameLen > avail) {
                    if (frameLen > buf.capacity()) {
                        buf = ByteBuffer.allocate(frameLen);
                    }
                    needMore = true;
                    break;
                }
                int storedCrc = buf.getInt(at + 4);
                crc.reset();
                crc.update(buf.array(), at, 4);
                crc.update(buf.array(), at + 8, frameLen - 8);
                if ((int) crc.getValue() != storedCrc) {
                    return problem(label, seg, framePos, lastOffset, "CRC mismatch", recovery);
                }
                long offset = buf.getLong(at + 8);
                long ts = buf.getLong(at + 16);
                if (recovery) {
                    long expected = lastOffset < seg.baseOffset ? -1 : lastOffset + 1;
                    if ((expected >= 0 && offset != expected) || offset < minOffset) {
                        return problem(label, seg, framePos, lastOffset, "unexpected record offset " + offset
                                + (expected >= 0 ? " (expected " + expected + ")" : " (below base " + minOffset
                                + ")"), true);
                    }
                    seg.maybeIndex(offset, framePos);
                }
                if (offset >= stopBeforeOffset) {
                    return new ScanResult(framePos, lastOffset, null);
                }
                if (visitor != null && !visitor.visit(offset, ts, framePos, buf, at + FRAME_HEADER, length)) {
                    return new ScanResult(framePos, lastOffset, null);
                }
                lastOffset = offset;
                frames++;
                consumedInChunk += frameLen;
            }
            pos += consumedInChunk;
            if (!needMore && consumedInChunk == 0) {
                break;
            }
        }
        return new ScanResult(pos, lastOffset, null);
    }

    private static ScanResult problem(String label, Segment seg, long position, long lastOffset, String what, boolean recovery) {
        if (recovery) {
            return new ScanResult(position, lastOffset, what);
        }
        throw new QueueCorruptedException(label + ": segment " + seg.path + " is corrupt at byte " + position + " ("
                + what + "). Stop the gateway and move the damaged segment away (its records are lost) or restore it"
                + " from a backup");
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }
}
