package io.routemq.queue.internal;

import io.routemq.queue.QueueTail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.routemq.queue.internal.FrameCodec.SEGMENT_HEADER;

/**
 * {@link QueueTail} over a segment log directory written by another process: lists the directory once for the newest
 * segment, then reads its frames from where the last call stopped with {@link FrameCodec#scan}. The writer rolls to a
 * segment named for the next offset only after it has written the old one to its end, so after reading a segment to
 * its end one look for the file of the next offset finds a roll (a file open, no listing).
 *
 * <p>Public only because {@code io.routemq.queue.QueueTail}, in this module, creates it; not API.
 */
public final class SegmentTail implements QueueTail {
    private final Path dir;
    private Segment segment;      // the newest segment seen, open for reading; null before the first
    private long position;        // the file position of its next unread frame
    private long next;            // one past the last complete record seen

    public SegmentTail(Path dir) {
        this.dir = dir;
    }

    @Override
    public long nextOffset() throws IOException {
        if (segment == null) {
            long newest = newestBase();
            if (newest < 0 || !open(newest)) return next;
        }
        readFrames();
        // the writer rolls to a segment named for the next offset only after it wrote the old one to its end
        while (next > segment.baseOffset && open(next)) {
            readFrames();
        }
        return next;
    }

    /** @return whether the segment exists (and is now the one read) */
    private boolean open(long base) throws IOException {
        Path file = dir.resolve(Segment.fileName(base));
        FileChannel opened;
        try {
            opened = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false; // not there yet, or delivered and deleted since the listing: the next call looks again
        }
        close();
        segment = new Segment(file, base, opened, 0, SEGMENT_HEADER, base - 1);
        position = SEGMENT_HEADER;
        next = Math.max(next, base);
        return true;
    }

    /**
     * Reads the open segment's complete frames from where the last read stopped, with the scan recovery uses: it
     * stops before a frame that is incomplete or whose checksum does not match (one still being written), and
     * reports how far it got instead of throwing. (It also fills the segment's sparse index, an entry per 16 KiB,
     * which the tail does not use.)
     */
    private void readFrames() throws IOException {
        FrameCodec.ScanResult r = FrameCodec.scan(dir.toString(), segment, position, segment.channel.size(),
                segment.baseOffset, Long.MAX_VALUE, Integer.MAX_VALUE, null, true);
        position = r.endPosition();
        next = Math.max(next, r.lastOffset() + 1);
    }

    private long newestBase() throws IOException {
        long newest = -1;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path p : files) newest = Math.max(newest, Segment.baseOffsetOf(p));
        } catch (NoSuchFileException e) {
            return -1; // the queue has not been created yet
        }
        return newest;
    }

    @Override
    public void close() {
        if (segment == null) return;
        try {
            segment.close();
        } catch (IOException e) {
            // read-only: nothing to lose
        }
        segment = null;
    }
}
