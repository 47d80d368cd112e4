package io.routemq.queue.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The persisted committed offset: file {@code committed.ckpt} with two 32-byte slots written alternately
 * (magic, version, sequence, offset, crc32c). A torn write damages at most one slot; the valid slot with the
 * highest sequence wins. Thread-safe.
 */
final class Checkpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    static final String FILE_NAME = "committed.ckpt";
    private static final int MAGIC = 0x524D5143; // "RMQC"
    private static final int VERSION = 1;
    private static final int SLOT = 32;

    private final Path path;
    private FileChannel channel;
    private long sequence;
    private long lastWritten;

    private Checkpoint(Path path, long sequence, long lastWritten) {
        this.path = path;
        this.sequence = sequence;
        this.lastWritten = lastWritten;
    }

    /** Loads the checkpoint of a log directory; a missing or unreadable one means "nothing committed" (-1). */
    static Checkpoint load(Path dir) {
        Path path = dir.resolve(FILE_NAME);
        long bestSeq = -1;
        long bestOffset = -1;
        boolean existed = false;
        try {
            byte[] bytes = Files.readAllBytes(path);
            existed = true;
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            for (int slot = 0; slot * SLOT + SLOT <= bytes.length; slot++) {
                int base = slot * SLOT;
                if (buf.getInt(base) != MAGIC || buf.getInt(base + 4) != VERSION) {
                    continue;
                }
                CRC32C crc = new CRC32C();
                crc.update(bytes, base, 24);
                if ((int) crc.getValue() != buf.getInt(base + 24)) {
                    continue;
                }
                long seq = buf.getLong(base + 8);
                if (seq > bestSeq) {
                    bestSeq = seq;
                    bestOffset = buf.getLong(base + 16);
                }
            }
        } catch (NoSuchFileException e) {
            return new Checkpoint(path, 0, -1);
        } catch (IOException e) {
            throw new io.routemq.queue.QueueException("cannot read committed offset file " + path + ": " + e
                    + " - check the file's permissions", e);
        }
        if (existed && bestSeq < 0) {
            LOG.warn("Committed offset file {} is damaged (no valid slot); delivery restarts from the oldest retained"
                    + " record, so already delivered records may be delivered again (at-least-once)", path);
        }
        return new Checkpoint(path, bestSeq + 1, bestOffset);
    }

    synchronized long lastWritten() {
        return lastWritten;
    }

    /** Writes the offset into the next slot (and forces it when {@code force}). */
    synchronized void write(long offset, boolean force) throws IOException {
        if (offset == lastWritten) {
            return;
        }
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        ByteBuffer buf = ByteBuffer.allocate(SLOT);
        buf.putInt(MAGIC).putInt(VERSION).putLong(sequence).putLong(offset);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, 24);
        buf.putInt((int) crc.getValue()).putInt(0).flip();
        long pos = (sequence & 1) * SLOT;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        if (force) {
            channel.force(false);
        }
        sequence++;
        lastWritten = offset;
    }

    synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
