package io.routemq.queue.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * One segment file {@code <20-digit base offset>.seg}: a 16-byte header (magic, version, base offset) followed by
 * record frames. Only the log's writer thread appends; readers use positional reads.
 */
final class Segment {
    private static final Pattern FILE_NAME = Pattern.compile("\\d{20}\\.seg");
    /** Bytes between two entries of the sparse index. */
    static final int INDEX_INTERVAL_BYTES = 16 * 1024;

    final Path path;
    final long baseOffset;
    final FileChannel channel;
    /** Global byte position (across segments) of this segment's first frame; used for size accounting. */
    final long globalStart;
    /** Bytes of valid data in the file (header included). Written by the writer thread only. */
    volatile long size;
    /** Offset of the last record, or {@code baseOffset - 1} when empty. */
    volatile long lastOffset;
    /** Sparse index: offset of a frame to its file position. */
    final ConcurrentSkipListMap<Long, Long> index = new ConcurrentSkipListMap<>();
    /** Writer thread only: position of the last index entry. */
    long lastIndexedPosition = Long.MIN_VALUE / 2;

    Segment(Path path, long baseOffset, FileChannel channel, long globalStart, long size, long lastOffset) {
        this.path = path;
        this.baseOffset = baseOffset;
        this.channel = channel;
        this.globalStart = globalStart;
        this.size = size;
        this.lastOffset = lastOffset;
    }

    boolean isEmpty() {
        return lastOffset < baseOffset;
    }

    long globalPosition(long filePosition) {
        return globalStart + filePosition - FrameCodec.SEGMENT_HEADER;
    }

    /** Adds an index entry if the previous one is far enough behind. Writer (or recovery) thread only. */
    void maybeIndex(long offset, long position) {
        if (position - lastIndexedPosition >= INDEX_INTERVAL_BYTES) {
            index.put(offset, position);
            lastIndexedPosition = position;
        }
    }

    /** @return the file position of the indexed frame at or before {@code offset}, or the first frame */
    long indexFloor(long offset) {
        Map.Entry<Long, Long> e = index.floorEntry(offset);
        return e == null ? FrameCodec.SEGMENT_HEADER : e.getValue();
    }

    long indexFloorOffset(long offset) {
        Map.Entry<Long, Long> e = index.floorEntry(offset);
        return e == null ? Long.MIN_VALUE : e.getKey();
    }

    void close() throws IOException {
        channel.close();
    }

    static String fileName(long baseOffset) {
        return String.format("%020d.seg", baseOffset);
    }

    /** @return the base offset a segment file's name gives ({@link #fileName}), or -1 when it is not such a name */
    static long baseOffsetOf(Path file) {
        String name = file.getFileName().toString();
        return FILE_NAME.matcher(name).matches() ? Long.parseLong(name, 0, 20, 10) : -1;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
