package io.routemq.queue.internal;

import io.routemq.queue.QueueCorruptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

import static io.routemq.queue.internal.FrameCodec.SEGMENT_HEADER;
import static io.routemq.queue.internal.FrameCodec.SEGMENT_MAGIC;
import static io.routemq.queue.internal.FrameCodec.SEGMENT_VERSION;
import static io.routemq.queue.internal.FrameCodec.readFully;
import static io.routemq.queue.internal.FrameCodec.scan;
import static io.routemq.queue.internal.FrameCodec.writeHeader;

/**
 * Crash recovery of a log directory: validates every segment's header and frames, truncates a torn tail of the
 * newest segment, and refuses (naming the file and what to do) where damage is not at the tail.
 */
final class SegmentRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);

    private SegmentRecovery() {
    }

    /**
     * Opens the segment files of {@code dir} in offset order and puts each into {@code segments} as soon as it is
     * open (so that the caller closes them all if a later one fails).
     *
     * @param committed the committed offset from the checkpoint
     * @return the highest record offset found, or {@code committed} if it is higher
     */
    static long loadSegments(Path dir, String label, ConcurrentSkipListMap<Long, Segment> segments, long committed)
            throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(".seg")) {
                    if (Segment.baseOffsetOf(p) < 0) {
                        throw new QueueCorruptedException("unexpected segment file name " + p + " in " + label
                                + ": segment files are named <20-digit base offset>.seg - move the file away");
                    }
                    files.add(p);
                }
            }
        }
        files.sort(null);
        long global = 0;
        long lastOffset = committed;
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i);
            boolean last = i == files.size() - 1;
            long base = Segment.baseOffsetOf(p);
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg;
            try {
                seg = recoverSegment(dir, label, p, ch, base, global, last);
            } catch (RuntimeException | IOException e) {
                ch.close();
                throw e;
            }
            segments.put(base, seg);
            global = seg.globalPosition(seg.size);
            if (!seg.isEmpty()) {
                lastOffset = Math.max(lastOffset, seg.lastOffset);
            }
        }
        return lastOffset;
    }

    private static Segment recoverSegment(Path dir, String label, Path p, FileChannel ch, long base, long global,
                                          boolean last) throws IOException {
        long fileSize = ch.size();
        if (fileSize < SEGMENT_HEADER) {
            if (!last) {
                throw new QueueCorruptedException("segment " + p + " of " + label + " is only " + fileSize
                        + " bytes (no header) but is not the newest segment - move it away to drop it");
            }
            LOG.warn("{}: segment {} has a torn header ({} bytes); rewriting it as an empty segment", label, p,
                    fileSize);
            ch.truncate(0);
            writeHeader(ch, base);
            return new Segment(p, base, ch, global, SEGMENT_HEADER, base - 1);
        }
        ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER);
        readFully(ch, header, 0);
        header.flip();
        int magic = header.getInt();
        int version = header.getInt();
        long headerBase = header.getLong();
        if (magic != SEGMENT_MAGIC) {
            throw new QueueCorruptedException("file " + p + " is not a RouteMQ queue segment (bad magic 0x"
                    + Integer.toHexString(magic) + " at byte 0) - move it out of " + dir);
        }
        if (version != SEGMENT_VERSION) {
            throw new QueueCorruptedException("segment " + p + " has format version " + version + "; this RouteMQ"
                    + " reads version " + SEGMENT_VERSION + " - use a matching RouteMQ version");
        }
        if (headerBase != base) {
            throw new QueueCorruptedException("segment " + p + " says base offset " + headerBase
                    + " but is named for " + base + " - the file was renamed or copied; restore its name");
        }
        Segment seg = new Segment(p, base, ch, global, fileSize, base - 1);
        FrameCodec.ScanResult r = scan(label, seg, SEGMENT_HEADER, fileSize, base, Long.MAX_VALUE, Integer.MAX_VALUE, null, true);
        if (r.error() != null) {
            if (!last) {
                throw new QueueCorruptedException(label + ": segment " + p + " is corrupt at byte " + r.endPosition()
                        + " (" + r.error() + ") although newer segments follow; acknowledged records may be damaged."
                        + " To drop the damaged part, truncate the file to " + r.endPosition() + " bytes, or move it"
                        + " away to drop all of its records");
            }
            LOG.warn("{}: dropping torn tail of {} at byte {} (record offset {}): {}; {} bytes discarded, every"
                    + " earlier record is kept", label, p, r.endPosition(), r.lastOffset() + 1, r.error(),
                    fileSize - r.endPosition());
            ch.truncate(r.endPosition());
            ch.force(true);
        }
        seg.size = r.endPosition();
        seg.lastOffset = r.lastOffset();
        return seg;
    }
}
