package io.routemq.queue.internal;

import io.routemq.queue.QueueTail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static io.routemq.queue.internal.FrameCodec.FRAME_HEADER;
import static io.routemq.queue.internal.FrameCodec.SEGMENT_HEADER;

/**
 * {@link QueueTail} over a segment log directory written by another process: lists the directory once for the newest
 * segment, then reads its frames from where the last call stopped, in chunks. The writer rolls to a segment named for
 * the next offset only after it has written the old one to its end, so after reading a segment to its end one look
 * for the file of the next offset finds a roll (a file stat, no listing).
 *
 * <p>Public only because {@code io.routemq.queue.QueueTail}, in this module, creates it; not API.
 */
public final class SegmentTail implements QueueTail {
    private static final int CHUNK = 64 * 1024;

    private final Path dir;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    private FileChannel channel;
    private long base = -1;       // the open segment's base offset
    private long position;        // the file position of its next unread frame
    private long next;            // one past the last complete record seen

    public SegmentTail(Path dir) {
        this.dir = dir;
    }

    @Override
    public long nextOffset() throws IOException {
        if (channel == null) {
            long newest = newestBase();
            if (newest < 0 || !open(newest)) return next;
        }
        readFrames();
        // the writer rolls to a segment named for the next offset only after it wrote the old one to its end
        while (next > base && open(next)) {
            readFrames();
        }
        return next;
    }

    /** @return whether the segment exists (and is now the one read) */
    private boolean open(long segmentBase) throws IOException {
        FileChannel opened;
        try {
            opened = FileChannel.open(dir.resolve(Segment.fileName(segmentBase)), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false; // not there yet, or delivered and deleted since the listing: the next call looks again
        }
        close();
        channel = opened;
        base = segmentBase;
        position = SEGMENT_HEADER;
        next = Math.max(next, segmentBase);
        return true;
    }

    /** Reads the open segment's complete frames from where the last read stopped. */
    private void readFrames() throws IOException {
        while (true) {
            long size = channel.size();
            if (size - position < FRAME_HEADER) return;
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), size - position));
            FrameCodec.readFully(channel, buf, position);
            buf.flip();
            int at = 0;
            boolean end = false;
            while (buf.limit() - at >= FRAME_HEADER) {
                int length = buf.getInt(at);
                int frame = FRAME_HEADER + length;
                if (length < 0 || frame > size - position - at) { // being written
                    end = true;
                    break;
                }
                if (frame > buf.limit() - at) {
                    if (frame > buf.capacity()) buf = ByteBuffer.allocate(frame);
                    break; // read on from this frame (a frame larger than the chunk: into the larger buffer)
                }
                crc.reset();
                crc.update(buf.array(), at, 4);
                crc.update(buf.array(), at + 8, frame - 8);
                if ((int) crc.getValue() != buf.getInt(at + 4)) { // not all of it visible yet
                    end = true;
                    break;
                }
                next = buf.getLong(at + 8) + 1;
                at += frame;
            }
            position += at; // the next call starts after the frames counted here
            if (end) return;
        }
    }

    private long newestBase() throws IOException {
        long newest = -1;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path p : files) {
                String n = p.getFileName().toString();
                try {
                    newest = Math.max(newest, Long.parseLong(n.substring(0, n.length() - 4)));
                } catch (NumberFormatException e) {
                    // not a segment of ours
                }
            }
        } catch (NoSuchFileException e) {
            return -1; // the queue has not been created yet
        }
        return newest;
    }

    @Override
    public void close() {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing to lose
        }
        channel = null;
    }
}
