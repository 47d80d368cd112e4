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
 * highest sequence wins. Both slots are written when the log opens (the file's space is reserved then), so a
 * later write overwrites bytes in place and needs no new space: on a full disk the committed offset can still
 * be saved, and delivered segments deleted. Thread-safe.
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
        int length = 0;
        try {
            byte[] bytes = Files.readAllBytes(path);
            existed = true;
            length = bytes.length;
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
            // nothing committed yet
        } catch (IOException e) {
            throw new io.routemq.queue.QueueException("cannot read committed offset file " + path + ": " + e
                    + " - check the file's permissions", e);
        }
        if (existed && bestSeq < 0) {
            LOG.warn("Committed offset file {} is damaged (no valid slot); delivery restarts from the oldest retained"
                    + " record, so already delivered records may be delivered again (at-least-once)", path);
        }
        Checkpoint cp = new Checkpoint(path, bestSeq + 1, bestOffset);
        if (length < 2 * SLOT) {
            cp.reserve(existed);
        }
        return cp;
    }

    /** Writes both slots with the current value, so that every later write overwrites them in place. */
    private synchronized void reserve(boolean existed) {
        ByteBuffer buf = ByteBuffer.allocate(2 * SLOT);
        slot(buf, (sequence & 1) * SLOT, sequence, lastWritten);
        slot(buf, ((sequence + 1) & 1) * SLOT, sequence + 1, lastWritten);
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long pos = 0;
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
            channel.force(true);
            Dirs.forceDirectory(path.getParent());
            sequence += 2;
        } catch (IOException e) {
            LOG.warn("cannot reserve the committed offset file {}: {}; it is written at the first commit instead,"
                    + " which needs free space", path, e.toString());
            try {
                if (channel != null) {
                    channel.close();
                }
                channel = null;
                if (!existed) {
                    Files.deleteIfExists(path); // no empty file that would read as damaged
                }
            } catch (IOException ignored) {
                // best effort; load() treats a short file as damaged (redelivery, no loss)
            }
        }
    }

    private static void slot(ByteBuffer buf, long position, long sequence, long offset) {
        int base = (int) position;
        buf.putInt(base, MAGIC).putInt(base + 4, VERSION).putLong(base + 8, sequence).putLong(base + 16, offset);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), base, 24);
        buf.putInt(base + 24, (int) crc.getValue()).putInt(base + 28, 0);
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
        slot(buf, 0, sequence, offset);
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
