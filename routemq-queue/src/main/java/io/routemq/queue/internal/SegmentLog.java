package io.routemq.queue.internal;

import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.QueueClosedException;
import io.routemq.queue.QueueCorruptedException;
import io.routemq.queue.QueueException;
import io.routemq.queue.QueueFullException;
import io.routemq.queue.QueueListener;
import io.routemq.queue.QueueNoSpaceException;
import io.routemq.queue.QueueRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * An append-only segment log with offsets, group commit, CRC-checked frames, crash recovery, a persisted
 * committed offset and a bound on uncommitted bytes.
 *
 * <p>Segment file: header {@code magic(int) version(int) baseOffset(long)} then frames
 * {@code length(int) crc32c(int) offset(long) timestampMillis(long) payload(length bytes)}; the CRC covers the
 * length field and everything after the CRC field. One writer thread drains all pending appends, writes them
 * with one write call per buffer, forces once per batch ({@link FsyncPolicy.Mode#ALWAYS}), publishes the new
 * durable end and completes the batch's futures on a separate completer thread.
 */
final class SegmentLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);

    static final int SEGMENT_HEADER = 16;
    static final int FRAME_HEADER = 24;
    static final int SEGMENT_MAGIC = 0x524D5153; // "RMQS"
    static final int SEGMENT_VERSION = 1;
    static final int INDEX_INTERVAL_BYTES = 16 * 1024;
    private static final int WRITE_BUFFER_BYTES = 1 << 20;
    private static final long MAX_BATCH_BYTES = 8L << 20;
    private static final int READ_CHUNK = 64 * 1024;
    private static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}\\.seg");

    /** A pending append: one or more payloads that get consecutive offsets; the future gets the first offset. */
    static final class Pending {
        final byte[][] payloads;
        final long frameBytes;
        final CompletableFuture<Long> future = new CompletableFuture<>();
        long firstOffset;
        ScheduledFuture<?> timeout;

        Pending(byte[][] payloads) {
            this.payloads = payloads;
            long bytes = 0;
            for (byte[] p : payloads) {
                bytes += FRAME_HEADER + p.length;
            }
            this.frameBytes = bytes;
        }
    }

    /** The durable (readable) end of the log. */
    private record Mark(long nextOffset, Segment segment, long position) { }

    /** Where the last read stopped, so a sequential reader skips the index scan. */
    private record Hint(long offset, Segment segment, long position) { }

    private final Path dir;
    private final String label;
    private final String metricName;
    private final long segmentBytes;
    private final FsyncPolicy fsync;
    private final long maxBytes;
    private final QueueListener listener;
    private final boolean reportAppended;

    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
    private final Checkpoint checkpoint;
    private final DiskSpace space;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition dataAvailable = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<Pending> waiters = new ArrayDeque<>();
    private long reservedUnwritten;
    private long writtenGlobalEnd;
    private long committedGlobalPos;
    private boolean closing;

    private final Object commitLock = new Object();
    private volatile long committed;
    private volatile boolean checkpointDirty;
    private volatile Mark durable;
    private volatile Hint hint;
    private volatile Throwable failure;

    // writer thread only
    private Segment active;
    private long nextOffset;
    private long unforcedRecords;
    private long unforcedBytes;
    /** True while the writer forces a segment: a failure then is never rolled back (see writeOrRefuse). */
    private boolean forcing;
    private long lastCheckpointWarnNanos = Long.MIN_VALUE / 2;

    private final Thread writer;
    private final ExecutorService completer;

    private SegmentLog(Path dir, String label, String metricName, long segmentBytes, FsyncPolicy fsync,
                       long maxBytes, QueueListener listener, boolean reportAppended, Checkpoint checkpoint,
                       ThreadFactory writerFactory) {
        this.dir = dir;
        this.label = label;
        this.metricName = metricName;
        this.segmentBytes = segmentBytes;
        this.fsync = fsync;
        this.maxBytes = maxBytes;
        this.listener = listener;
        this.reportAppended = reportAppended;
        this.checkpoint = checkpoint;
        this.committed = checkpoint.lastWritten();
        this.space = new DiskSpace(label, dir);
        this.writer = writerFactory.newThread(this::writerLoop);
        this.completer = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("routemq-queue-completer-" + metricName).factory());
    }

    /**
     * Opens a log directory, recovering it: validates every segment, truncates a torn tail of the newest
     * segment, and restores the committed offset.
     */
    static SegmentLog open(Path dir, String label, String metricName, long segmentBytes, FsyncPolicy fsync,
                           long maxBytes, QueueListener listener, boolean reportAppended, ThreadFactory writerFactory) {
        Dirs.ensureDirectory(dir, label + " directory");
        Checkpoint checkpoint = Checkpoint.load(dir);
        SegmentLog log = new SegmentLog(dir, label, metricName, segmentBytes, fsync, maxBytes, listener,
                reportAppended, checkpoint, writerFactory);
        try {
            log.recover();
        } catch (RuntimeException e) {
            log.closeSegmentsQuietly();
            log.completer.shutdownNow();
            throw e;
        } catch (IOException e) {
            log.closeSegmentsQuietly();
            log.completer.shutdownNow();
            throw new QueueException("cannot open " + label + " in " + dir + ": " + e
                    + " - check that the directory is readable and writable", e);
        }
        log.writer.start();
        return log;
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(".seg")) {
                    if (!SEGMENT_NAME.matcher(name).matches()) {
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
            long base = Long.parseLong(p.getFileName().toString().substring(0, 20));
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg;
            try {
                seg = recoverSegment(p, ch, base, global, last);
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
        long next = lastOffset + 1;
        if (segments.isEmpty()) {
            active = createSegment(Math.max(0, committed + 1), 0);
        } else {
            active = segments.lastEntry().getValue();
            next = Math.max(next, active.baseOffset);
            if (committed >= next) {
                next = committed + 1;
            }
            if (!active.isEmpty() && active.lastOffset + 1 < next) {
                LOG.warn("{}: committed offset {} is beyond the newest record {} (records were lost, e.g. power loss"
                        + " without fsync); offsets continue at {} in a new segment", label, committed,
                        active.lastOffset, next);
                // frames within a segment are consecutive, so the jump starts a new segment
                active = createSegment(next, active.globalPosition(active.size));
            }
        }
        nextOffset = next;
        long end = active.globalPosition(active.size);
        writtenGlobalEnd = end;
        durable = new Mark(nextOffset, active, active.size);
        committedGlobalPos = committed < 0 ? firstGlobalPosition() : globalPositionOf(committed + 1);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: opened {} segment(s), offsets next={} committed={} uncommitted bytes={}", label,
                    segments.size(), nextOffset, committed, end - committedGlobalPos);
        }
    }

    private long firstGlobalPosition() {
        Segment first = segments.firstEntry().getValue();
        return first.globalStart;
    }

    private Segment recoverSegment(Path p, FileChannel ch, long base, long global, boolean last) throws IOException {
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
        ScanResult r = scan(seg, SEGMENT_HEADER, fileSize, base, Long.MAX_VALUE, Integer.MAX_VALUE, null, true);
        if (r.error != null) {
            if (!last) {
                throw new QueueCorruptedException(label + ": segment " + p + " is corrupt at byte " + r.endPosition
                        + " (" + r.error + ") although newer segments follow; acknowledged records may be damaged."
                        + " To drop the damaged part, truncate the file to " + r.endPosition + " bytes, or move it"
                        + " away to drop all of its records");
            }
            LOG.warn("{}: dropping torn tail of {} at byte {} (record offset {}): {}; {} bytes discarded, every"
                    + " earlier record is kept", label, p, r.endPosition, r.lastOffset + 1, r.error,
                    fileSize - r.endPosition);
            ch.truncate(r.endPosition);
            ch.force(true);
        }
        seg.size = r.endPosition;
        seg.lastOffset = r.lastOffset;
        return seg;
    }

    // ------------------------------------------------------------------ scanning

    /** Visits frames during a scan. */
    private interface FrameVisitor {
        /** @return false to stop (the frame is then not consumed) */
        boolean visit(long offset, long timestamp, long position, ByteBuffer buf, int payloadIndex, int length);
    }

    private record ScanResult(long endPosition, long lastOffset, String error) { }

    /**
     * Scans frames of a segment from {@code position} up to {@code limit}. With {@code recovery}, frames must
     * be consecutive from {@code minOffset} and problems are returned; otherwise problems throw.
     */
    private ScanResult scan(Segment seg, long position, long limit, long minOffset, long stopBeforeOffset,
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
                        return problem(seg, pos + at, lastOffset, "incomplete frame header (" + avail + " bytes)",
                                recovery);
                    }
                    needMore = true;
                    break;
                }
                int length = buf.getInt(at);
                long framePos = pos + at;
                if (length < 0 || (long) FRAME_HEADER + length > limit - framePos) {
                    return problem(seg, framePos, lastOffset, "frame length " + length + " runs past the end of"
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
                    return problem(seg, framePos, lastOffset, "CRC mismatch", recovery);
                }
                long offset = buf.getLong(at + 8);
                long ts = buf.getLong(at + 16);
                if (recovery) {
                    long expected = lastOffset < seg.baseOffset ? -1 : lastOffset + 1;
                    if ((expected >= 0 && offset != expected) || offset < minOffset) {
                        return problem(seg, framePos, lastOffset, "unexpected record offset " + offset
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

    private ScanResult problem(Segment seg, long position, long lastOffset, String what, boolean recovery) {
        if (recovery) {
            return new ScanResult(position, lastOffset, what);
        }
        throw new QueueCorruptedException(label + ": segment " + seg.path + " is corrupt at byte " + position + " ("
                + what + "). Stop the gateway and move the damaged segment away (its records are lost) or restore it"
                + " from a backup");
    }

    // ------------------------------------------------------------------ appends and admission

    /** @return the frame bytes a single payload occupies */
    static long frameBytes(byte[] payload) {
        return FRAME_HEADER + (long) payload.length;
    }

    /** @return the largest payload a segment can hold */
    long maxPayloadBytes() {
        return segmentBytes - SEGMENT_HEADER - FRAME_HEADER;
    }

    String label() {
        return label;
    }

    /** @return why the log accepts no appends, or null if it does. Caller holds the lock. */
    private QueueException unusableLocked() {
        if (closing) {
            return closed();
        }
        Throwable f = failure;
        if (f != null) {
            return new QueueException(label + " in " + dir + " failed earlier and accepts no more records: " + f
                    + " - fix the disk problem and restart the gateway (recovery drops anything not durable)", f);
        }
        return null;
    }

    /** Enqueues without any bound (dead-letter logs). */
    void appendUnbounded(Pending p) {
        lock.lock();
        try {
            QueueException x = unusableLocked();
            if (x != null) {
                p.future.completeExceptionally(x);
                return;
            }
            enqueueLocked(p);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Enqueues if the bound allows and nobody waits ahead.
     *
     * @return false if the log is full (nothing enqueued)
     */
    boolean tryAppend(Pending p) {
        lock.lock();
        try {
            QueueException x = unusableLocked();
            if (x != null) {
                p.future.completeExceptionally(x);
                return true;
            }
            if (!waiters.isEmpty() || !fitsLocked(p.frameBytes)) {
                return false;
            }
            enqueueLocked(p);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Enqueues now if it fits, otherwise waits (FIFO) until commits free room or the timeout passes. */
    void appendOrWait(Pending p, Duration timeout, ScheduledExecutorService scheduler) {
        lock.lock();
        try {
            QueueException x = unusableLocked();
            if (x != null) {
                p.future.completeExceptionally(x);
                return;
            }
            if (waiters.isEmpty() && fitsLocked(p.frameBytes)) {
                enqueueLocked(p);
                return;
            }
            waiters.addLast(p);
            if (!timeout.isZero()) {
                p.timeout = scheduler.schedule(() -> timeOut(p, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void timeOut(Pending p, Duration timeout) {
        long used;
        lock.lock();
        try {
            if (!waiters.remove(p)) {
                return;
            }
            used = usedBytesLocked();
            admitWaitersLocked();
        } finally {
            lock.unlock();
        }
        p.future.completeExceptionally(new QueueFullException(label + " is full (" + used + " of maxBytes "
                + maxBytes + " uncommitted) and no room was freed within " + timeout.toMillis() + " ms (overflow"
                + " policy BLOCK); the record was NOT enqueued. Delivery to this sink is probably failing or slow:"
                + " check the sink, or raise maxBytes / blockTimeout"));
    }

    private boolean fitsLocked(long bytes) {
        return usedBytesLocked() + bytes <= maxBytes;
    }

    private long usedBytesLocked() {
        return writtenGlobalEnd + reservedUnwritten - committedGlobalPos;
    }

    private void enqueueLocked(Pending p) {
        pending.addLast(p);
        reservedUnwritten += p.frameBytes;
        if (pending.size() == 1) {
            workAvailable.signal();
        }
    }

    private void admitWaitersLocked() {
        while (!waiters.isEmpty() && fitsLocked(waiters.peekFirst().frameBytes)) {
            Pending p = waiters.pollFirst();
            if (p.timeout != null) {
                p.timeout.cancel(false);
            }
            enqueueLocked(p);
        }
    }

    private QueueClosedException closed() {
        return new QueueClosedException(label + " in " + dir + " is closed; the record was NOT enqueued");
    }

    // ------------------------------------------------------------------ writer

    private void writerLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
        long lastForce = System.nanoTime();
        long lastCheckpoint = System.nanoTime();
        List<Pending> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            boolean exiting;
            lock.lock();
            try {
                long waitNanos = fsync.mode() == FsyncPolicy.Mode.INTERVAL && unforcedRecords > 0
                        ? fsync.interval().toNanos() - (System.nanoTime() - lastForce)
                        : CHECKPOINT_INTERVAL_NANOS;
                while (pending.isEmpty() && !closing && waitNanos > 0 && !checkpointDirty) {
                    waitNanos = workAvailable.awaitNanos(waitNanos);
                }
                if (pending.isEmpty() && !closing && waitNanos > 0 && checkpointDirty) {
                    // idle with a dirty checkpoint: wait briefly for more commits to coalesce
                    long rest = CHECKPOINT_INTERVAL_NANOS - (System.nanoTime() - lastCheckpoint);
                    while (pending.isEmpty() && !closing && rest > 0) {
                        rest = workAvailable.awaitNanos(rest);
                    }
                }
                long bytes = 0;
                while (!pending.isEmpty() && (batch.isEmpty() || bytes + pending.peekFirst().frameBytes
                        <= MAX_BATCH_BYTES)) {
                    Pending p = pending.pollFirst();
                    bytes += p.frameBytes;
                    batch.add(p);
                }
                exiting = closing && pending.isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exiting = true;
            } finally {
                lock.unlock();
            }
            if (!batch.isEmpty() && failure == null) {
                writeOrRefuse(batch, buf);
            } else if (!batch.isEmpty()) {
                for (Pending p : batch) {
                    p.future.completeExceptionally(new QueueException(label + " failed earlier: " + failure,
                            failure));
                }
            }
            try {
                if (unforcedRecords > 0 && fsync.mode() == FsyncPolicy.Mode.INTERVAL
                        && (exiting || System.nanoTime() - lastForce >= fsync.interval().toNanos())) {
                    forceActive();
                    lastForce = System.nanoTime();
                }
                if (checkpointDirty && (exiting || System.nanoTime() - lastCheckpoint >= CHECKPOINT_INTERVAL_NANOS)) {
                    writeCheckpointAndClean();
                    lastCheckpoint = System.nanoTime();
                }
            } catch (Throwable t) {
                fail(t, List.of());
            }
            if (exiting) {
                return;
            }
        }
    }

    /**
     * Writes a batch, or refuses it for lack of space. A write that fails for lack of space is rolled back (the
     * segment truncated to where the batch began, segments created by it deleted), its records fail with
     * {@link QueueNoSpaceException}, and the log stays usable: later batches are refused without touching the disk
     * until a probe write succeeds ({@link DiskSpace}). A failed force is never rolled back: after an fsync error
     * the page cache cannot be trusted, so the log fails for good ({@link #fail}).
     */
    private void writeOrRefuse(List<Pending> batch, ByteBuffer buf) {
        long bytes = 0;
        int records = 0;
        for (Pending p : batch) {
            bytes += p.frameBytes;
            records += p.payloads.length;
        }
        if (!space.tryWrite(bytes)) {
            refuse(batch, bytes, records, null);
            return;
        }
        Segment startSeg = active;
        long startSize = startSeg.size;
        long startLast = startSeg.lastOffset;
        long startIndexed = startSeg.lastIndexedPosition;
        long startNext = nextOffset;
        forcing = false;
        try {
            writeBatch(batch, buf);
            space.succeeded();
        } catch (Throwable t) {
            if (forcing || !DiskSpace.isNoSpace(t)) {
                fail(t, batch);
                return;
            }
            try {
                rollBack(startSeg, startSize, startLast, startIndexed, startNext);
            } catch (IOException | RuntimeException e) {
                t.addSuppressed(e);
                fail(t, batch);
                return;
            }
            space.failed(t);
            refuse(batch, bytes, records, t);
        }
    }

    private void refuse(List<Pending> batch, long bytes, int records, Throwable cause) {
        lock.lock();
        try {
            reservedUnwritten -= bytes;
        } finally {
            lock.unlock();
        }
        space.refused(records);
        QueueNoSpaceException e = space.error(cause);
        List<Pending> refused = List.copyOf(batch);
        completer.execute(() -> {
            for (Pending p : refused) {
                p.future.completeExceptionally(e);
            }
        });
    }

    /** Undoes a batch whose write failed: nothing of it was published, so the files go back to where it began. */
    private void rollBack(Segment startSeg, long startSize, long startLast, long startIndexed, long startNext)
            throws IOException {
        List<Segment> created;
        segmentsLock.writeLock().lock();
        try {
            created = new ArrayList<>(segments.tailMap(startSeg.baseOffset, false).values());
            for (Segment seg : created) {
                segments.remove(seg.baseOffset);
            }
        } finally {
            segmentsLock.writeLock().unlock();
        }
        for (Segment seg : created) {
            try {
                seg.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed", seg.path, e);
            }
            Files.deleteIfExists(seg.path);
        }
        startSeg.index.tailMap(startNext, true).clear();
        startSeg.lastIndexedPosition = startIndexed;
        startSeg.lastOffset = startLast;
        startSeg.size = startSize;
        startSeg.channel.truncate(startSize);
        active = startSeg;
        nextOffset = startNext;
    }

    private void writeBatch(List<Pending> batch, ByteBuffer buf) throws IOException {
        Segment seg = active;
        long pos = seg.size;
        long bufStart = pos;
        long offset = nextOffset;
        long now = System.currentTimeMillis();
        boolean segHasRecords = !seg.isEmpty();
        int records = 0;
        long bytes = 0;
        long payloadBytes = 0;
        CRC32C crc = new CRC32C();
        buf.clear();
        for (Pending p : batch) {
            p.firstOffset = offset;
            for (byte[] payload : p.payloads) {
                int frame = FRAME_HEADER + payload.length;
                if (segHasRecords && pos + frame > segmentBytes) {
                    writeOut(buf, seg, bufStart);
                    seg.size = pos;
                    seg.lastOffset = offset - 1;
                    if (fsync.mode() != FsyncPolicy.Mode.NEVER) {
                        long t0 = System.nanoTime();
                        forcing = true;
                        seg.channel.force(false);
                        forcing = false;
                        listener.fsynced(metricName, records, bytes, System.nanoTime() - t0);
                    }
                    seg = roll(offset, seg.globalPosition(pos));
                    pos = seg.size;
                    bufStart = pos;
                    segHasRecords = false;
                }
                if (frame > buf.remaining()) {
                    writeOut(buf, seg, bufStart);
                    bufStart = pos;
                }
                ByteBuffer target = frame > buf.capacity() ? ByteBuffer.allocate(frame) : buf;
                int start = target.position();
                target.putInt(payload.length).putInt(0).putLong(offset).putLong(now).put(payload);
                crc.reset();
                ByteBuffer view = target.duplicate();
                view.position(start).limit(start + 4);
                crc.update(view);
                view.limit(start + frame).position(start + 8);
                crc.update(view);
                target.putInt(start + 4, (int) crc.getValue());
                if (target != buf) {
                    writeOut(target, seg, pos);
                    bufStart = pos + frame;
                }
                seg.maybeIndex(offset, pos);
                pos += frame;
                offset++;
                segHasRecords = true;
                records++;
                bytes += frame;
                payloadBytes += payload.length;
            }
        }
        writeOut(buf, seg, bufStart);
        seg.size = pos;
        seg.lastOffset = offset - 1;
        nextOffset = offset;
        if (fsync.mode() == FsyncPolicy.Mode.ALWAYS) {
            long t0 = System.nanoTime();
            forcing = true;
            seg.channel.force(false);
            forcing = false;
            listener.fsynced(metricName, records, bytes, System.nanoTime() - t0);
        } else {
            unforcedRecords += records;
            unforcedBytes += bytes;
        }
        durable = new Mark(offset, seg, pos);
        lock.lock();
        try {
            reservedUnwritten -= bytes;
            writtenGlobalEnd = seg.globalPosition(pos);
            dataAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        if (reportAppended) {
            listener.appended(metricName, records, payloadBytes);
        }
        List<Pending> done = List.copyOf(batch);
        completer.execute(() -> {
            for (Pending p : done) {
                p.future.complete(p.firstOffset);
            }
        });
    }

    private void writeOut(ByteBuffer buf, Segment seg, long position) throws IOException {
        buf.flip();
        long pos = position;
        while (buf.hasRemaining()) {
            pos += seg.channel.write(buf, pos);
        }
        buf.clear();
    }

    private void forceActive() throws IOException {
        long t0 = System.nanoTime();
        active.channel.force(false);
        listener.fsynced(metricName, (int) unforcedRecords, unforcedBytes, System.nanoTime() - t0);
        unforcedRecords = 0;
        unforcedBytes = 0;
    }

    private Segment roll(long baseOffset, long globalStart) throws IOException {
        Segment seg = createSegment(baseOffset, globalStart);
        active = seg;
        LOG.debug("{}: rolled to segment {}", label, seg.path);
        return seg;
    }

    private Segment createSegment(long baseOffset, long globalStart) throws IOException {
        Path p = dir.resolve(Segment.fileName(baseOffset));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            writeHeader(ch, baseOffset);
            if (fsync.mode() != FsyncPolicy.Mode.NEVER) {
                ch.force(true);
                Dirs.forceDirectory(dir);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(p); // e.g. no space for the header: leave no empty segment behind
            throw e;
        }
        Segment seg = new Segment(p, baseOffset, ch, globalStart, SEGMENT_HEADER, baseOffset - 1);
        segmentsLock.writeLock().lock();
        try {
            segments.put(baseOffset, seg);
        } finally {
            segmentsLock.writeLock().unlock();
        }
        return seg;
    }

    private static void writeHeader(FileChannel ch, long baseOffset) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(SEGMENT_HEADER);
        h.putInt(SEGMENT_MAGIC).putInt(SEGMENT_VERSION).putLong(baseOffset).flip();
        long pos = 0;
        while (h.hasRemaining()) {
            pos += ch.write(h, pos);
        }
    }

    private void fail(Throwable t, List<Pending> batch) {
        if (failure == null) {
            failure = t;
            LOG.error("{} in {}: write failed; the log refuses further appends until restart", label, dir, t);
        }
        QueueException e = new QueueException(label + " in " + dir + ": write failed: " + t
                + " - the records were NOT acknowledged; fix the disk problem and restart", t);
        for (Pending p : batch) {
            p.future.completeExceptionally(e);
        }
        List<Pending> rest = new ArrayList<>();
        lock.lock();
        try {
            rest.addAll(pending);
            rest.addAll(waiters);
            pending.clear();
            waiters.clear();
            reservedUnwritten = 0;
        } finally {
            lock.unlock();
        }
        for (Pending p : rest) {
            p.future.completeExceptionally(e);
        }
    }

    // ------------------------------------------------------------------ commit and cleanup

    /**
     * Commits up to an offset.
     *
     * @param offsetInclusive last delivered offset
     * @param sync            write the checkpoint now (caller thread) instead of within ~100 ms by the writer
     * @return true if the committed offset advanced
     */
    boolean commit(long offsetInclusive, boolean sync) {
        synchronized (commitLock) {
            if (offsetInclusive <= committed) {
                return false;
            }
            Mark m = durable;
            if (offsetInclusive >= m.nextOffset) {
                throw new IllegalArgumentException("cannot commit offset " + offsetInclusive + " in " + label
                        + ": only offsets below " + m.nextOffset + " are readable");
            }
            long pos;
            segmentsLock.readLock().lock();
            try {
                pos = globalPositionOf(offsetInclusive + 1);
            } catch (IOException e) {
                throw new QueueException("cannot commit offset " + offsetInclusive + " in " + label + ": " + e, e);
            } finally {
                segmentsLock.readLock().unlock();
            }
            committed = offsetInclusive;
            lock.lock();
            try {
                committedGlobalPos = Math.max(committedGlobalPos, pos);
                admitWaitersLocked();
            } finally {
                lock.unlock();
            }
            if (sync) {
                try {
                    checkpoint.write(offsetInclusive, fsync.mode() != FsyncPolicy.Mode.NEVER);
                } catch (IOException e) {
                    throw new QueueException("cannot persist committed offset of " + label + " in " + dir + ": "
                            + e, e);
                }
            }
            checkpointDirty = true;
            lock.lock();
            try {
                workAvailable.signal();
            } finally {
                lock.unlock();
            }
            return true;
        }
    }

    /** Writer thread: persists the committed offset, then deletes segments that hold only committed records. */
    private void writeCheckpointAndClean() throws IOException {
        checkpointDirty = false;
        long c = committed;
        try {
            checkpoint.write(c, fsync.mode() != FsyncPolicy.Mode.NEVER);
        } catch (IOException e) {
            if (!DiskSpace.isNoSpace(e)) {
                throw e;
            }
            // Only when the checkpoint's space could not be reserved at open. Segments stay until the committed
            // offset is on disk, so that offsets are never reused after a restart; retried on the next commit.
            checkpointDirty = true;
            if (System.nanoTime() - lastCheckpointWarnNanos >= DiskSpace.LOG_INTERVAL.toNanos()) {
                lastCheckpointWarnNanos = System.nanoTime();
                LOG.warn("{}: cannot persist committed offset {} in {}: {}; delivered segments are deleted once it"
                        + " is written (retried), free disk space", label, c, dir, e.getMessage());
            }
            return;
        }
        List<Segment> doomed = new ArrayList<>();
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            Segment seg = e.getValue();
            Map.Entry<Long, Segment> next = segments.higherEntry(e.getKey());
            if (seg == active || next == null || next.getKey() - 1 > c) {
                break;
            }
            doomed.add(seg);
        }
        if (space.refusing() && !active.isEmpty() && active.lastOffset <= c) {
            retireActive(c);
        }
        if (doomed.isEmpty()) {
            return;
        }
        segmentsLock.writeLock().lock();
        try {
            for (Segment seg : doomed) {
                segments.remove(seg.baseOffset);
                seg.close();
            }
        } finally {
            segmentsLock.writeLock().unlock();
        }
        for (Segment seg : doomed) {
            Files.deleteIfExists(seg.path);
            LOG.debug("{}: deleted fully committed segment {}", label, seg.path);
        }
        space.spaceFreed();
    }

    /**
     * Disk full and every record delivered, the active segment included: deletes the active segment and starts an
     * empty one at the next offset, so that its space comes back even when it never filled up (a segment is only
     * deleted once a newer one exists). Delete first, then create: on a disk that is 100% full the new segment needs
     * the freed space. A crash in between leaves no segment, and the checkpoint (written just before) gives the next
     * offset, so offsets are not reused. Writer thread only.
     */
    private void retireActive(long committedOffset) throws IOException {
        Segment old = active;
        long global = old.globalPosition(old.size);
        segmentsLock.writeLock().lock();
        try {
            segments.remove(old.baseOffset);
            old.close();
        } finally {
            segmentsLock.writeLock().unlock();
        }
        Files.deleteIfExists(old.path);
        Segment seg = createSegment(nextOffset, global);
        active = seg;
        durable = new Mark(nextOffset, seg, seg.size);
        hint = null;
        space.spaceFreed();
        LOG.info("{}: disk full and every record up to offset {} delivered: replaced segment {} by an empty one, so its"
                + " space comes back", label, committedOffset, old.path);
    }

    /** Global byte position of the first record with offset {@code >= offset}. Caller holds the read lock. */
    private long globalPositionOf(long offset) throws IOException {
        Mark m = durable;
        if (offset >= m.nextOffset) {
            return m.segment.globalPosition(m.position);
        }
        Map.Entry<Long, Segment> e = segments.floorEntry(offset);
        Segment seg = e == null ? segments.firstEntry().getValue() : e.getValue();
        while (seg != null) {
            long limit = seg == m.segment ? m.position : seg.size;
            long start = startPosition(seg, offset);
            ScanResult r = scan(seg, start, limit, Long.MIN_VALUE, offset, Integer.MAX_VALUE, null, false);
            if (r.endPosition < limit) {
                return seg.globalPosition(r.endPosition);
            }
            if (seg == m.segment) {
                return seg.globalPosition(limit);
            }
            Map.Entry<Long, Segment> n = segments.higherEntry(seg.baseOffset);
            seg = n == null ? null : n.getValue();
        }
        return m.segment.globalPosition(m.position);
    }

    private long startPosition(Segment seg, long offset) {
        long pos = seg.indexFloor(offset);
        long idxOffset = seg.indexFloorOffset(offset);
        Hint h = hint;
        if (h != null && h.segment == seg && h.offset <= offset && h.offset > idxOffset) {
            pos = h.position;
        }
        return pos;
    }

    // ------------------------------------------------------------------ reads

    List<QueueRecord> read(long fromOffset, int maxRecords) {
        if (maxRecords <= 0) {
            throw new IllegalArgumentException("maxRecords must be positive, got " + maxRecords);
        }
        Mark m = durable;
        if (fromOffset >= m.nextOffset) {
            return List.of();
        }
        List<QueueRecord> out = new ArrayList<>(Math.min(maxRecords, 1024));
        segmentsLock.readLock().lock();
        try {
            if (segments.isEmpty()) {
                return List.of();
            }
            Map.Entry<Long, Segment> e = segments.floorEntry(fromOffset);
            Segment seg = e == null ? segments.firstEntry().getValue() : e.getValue();
            long pos = startPosition(seg, fromOffset);
            while (seg != null && out.size() < maxRecords) {
                long limit = seg == m.segment ? m.position : seg.size;
                ScanResult r = scan(seg, pos, limit, Long.MIN_VALUE, m.nextOffset, Integer.MAX_VALUE,
                        (offset, ts, framePos, buf, idx, len) -> {
                            if (offset < fromOffset) {
                                return true;
                            }
                            if (out.size() >= maxRecords) {
                                return false;
                            }
                            byte[] payload = new byte[len];
                            System.arraycopy(buf.array(), idx, payload, 0, len);
                            out.add(new QueueRecord(offset, payload, ts));
                            return true;
                        }, false);
                if (!out.isEmpty()) {
                    hint = new Hint(out.getLast().offset() + 1, seg, r.endPosition);
                }
                if (seg == m.segment || out.size() >= maxRecords) {
                    break;
                }
                Map.Entry<Long, Segment> n = segments.higherEntry(seg.baseOffset);
                seg = n == null ? null : n.getValue();
                pos = SEGMENT_HEADER;
            }
        } catch (IOException ex) {
            throw new QueueException("cannot read " + label + " in " + dir + " at offset " + fromOffset + ": " + ex,
                    ex);
        } finally {
            segmentsLock.readLock().unlock();
        }
        return out;
    }

    boolean awaitRecords(long fromOffset, Duration timeout) throws InterruptedException {
        if (durable.nextOffset > fromOffset) {
            return true;
        }
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (durable.nextOffset <= fromOffset && !closing && failure == null) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = dataAvailable.awaitNanos(nanos);
            }
            return durable.nextOffset > fromOffset;
        } finally {
            lock.unlock();
        }
    }

    long committed() {
        return committed;
    }

    /** @return why appends are refused right now (no space, or an earlier write failure), or null */
    String appendsRefused() {
        Throwable f = failure;
        if (f != null) {
            return "write failed earlier, appends are refused until a restart: " + f;
        }
        return space.describe();
    }

    long nextOffset() {
        return durable.nextOffset;
    }

    long sizeRecords() {
        return Math.max(0, durable.nextOffset - committed - 1);
    }

    long sizeBytes() {
        lock.lock();
        try {
            return usedBytesLocked();
        } finally {
            lock.unlock();
        }
    }

    long maxBytes() {
        return maxBytes;
    }

    Path dir() {
        return dir;
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        List<Pending> abandoned;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            abandoned = new ArrayList<>(waiters);
            waiters.clear();
            workAvailable.signalAll();
            dataAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        for (Pending p : abandoned) {
            if (p.timeout != null) {
                p.timeout.cancel(false);
            }
            p.future.completeExceptionally(closed());
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completer.shutdown();
        try {
            completer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            checkpoint.write(committed, fsync.mode() != FsyncPolicy.Mode.NEVER);
        } catch (IOException e) {
            LOG.warn("{}: could not persist committed offset {} to {} on close: {}", label, committed, dir, e.toString());
        }
        closeSegmentsQuietly();
    }

    private void closeSegmentsQuietly() {
        segmentsLock.writeLock().lock();
        try {
            for (Segment s : segments.values()) {
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.debug("closing {} failed", s.path, e);
                }
            }
        } finally {
            segmentsLock.writeLock().unlock();
        }
        try {
            checkpoint.close();
        } catch (IOException e) {
            LOG.debug("closing checkpoint of {} failed", dir, e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
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
