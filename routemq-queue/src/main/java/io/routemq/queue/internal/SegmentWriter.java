package io.routemq.queue.internal;

import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.QueueException;
import io.routemq.queue.QueueNoSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static io.routemq.queue.internal.FrameCodec.FRAME_HEADER;
import static io.routemq.queue.internal.FrameCodec.SEGMENT_HEADER;
import static io.routemq.queue.internal.FrameCodec.writeHeader;

/**
 * The writer thread of a {@link SegmentLog}: drains the pending appends in batches, writes each batch with one
 * write call per buffer, forces it as the {@link FsyncPolicy} says, rolls segments, publishes the new durable end,
 * completes the batch's futures on the completer thread, and persists the committed offset and deletes delivered
 * segments. The fields here belong to the writer thread alone (and to recovery, before the thread starts).
 */
final class SegmentWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    private static final int WRITE_BUFFER_BYTES = 1 << 20;
    private static final long MAX_BATCH_BYTES = 8L << 20;
    /** How long the writer waits for more appends before writing, with {@code fsync} interval or never. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Pending bytes that end the wait early. */
    static final long LINGER_BYTES = 64 << 10;
    static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SegmentLog log;

    Segment active;
    long nextOffset;
    private long unforcedRecords;
    private long unforcedBytes;
    /** True while the writer forces a segment: a failure then is never rolled back (see writeOrRefuse). */
    private boolean forcing;
    private long lastCheckpointWarnNanos = Long.MIN_VALUE / 2;

    SegmentWriter(SegmentLog log) {
        this.log = log;
    }

    /** The writer thread's loop, until the log closes. */
    void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
        long lastForce = System.nanoTime();
        long lastCheckpoint = System.nanoTime();
        List<Pending> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            boolean exiting;
            log.lock.lock();
            try {
                long waitNanos = log.fsync.mode() == FsyncPolicy.Mode.INTERVAL && unforcedRecords > 0
                        ? log.fsync.interval().toNanos() - (System.nanoTime() - lastForce)
                        : CHECKPOINT_INTERVAL_NANOS;
                while (log.pending.isEmpty() && !log.closing && waitNanos > 0 && !log.checkpointDirty) {
                    waitNanos = log.workAvailable.awaitNanos(waitNanos);
                }
                if (log.pending.isEmpty() && !log.closing && waitNanos > 0 && log.checkpointDirty) {
                    // idle with a dirty log.checkpoint: wait briefly for more commits to coalesce
                    long rest = CHECKPOINT_INTERVAL_NANOS - (System.nanoTime() - lastCheckpoint);
                    while (log.pending.isEmpty() && !log.closing && rest > 0) {
                        rest = log.workAvailable.awaitNanos(rest);
                    }
                }
                if (!log.pending.isEmpty() && log.fsync.mode() != FsyncPolicy.Mode.ALWAYS) {
                    // interval and never complete an append right after its write: wait up to LINGER_NANOS for more
                    // appends (or LINGER_BYTES of them), so that one write, one wake-up of the readers and one
                    // completer task serve many records instead of one or two each (always already batches: its
                    // force takes milliseconds, while the next appends queue up)
                    long linger = LINGER_NANOS;
                    while (!log.closing && log.reservedUnwritten < LINGER_BYTES && linger > 0) {
                        linger = log.workAvailable.awaitNanos(linger);
                    }
                }
                long bytes = 0;
                while (!log.pending.isEmpty() && (batch.isEmpty() || bytes + log.pending.peekFirst().frameBytes
                        <= MAX_BATCH_BYTES)) {
                    Pending p = log.pending.pollFirst();
                    bytes += p.frameBytes;
                    batch.add(p);
                }
                exiting = log.closing && log.pending.isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exiting = true;
            } finally {
                log.lock.unlock();
            }
            if (!batch.isEmpty() && log.failure == null) {
                writeOrRefuse(batch, buf);
            } else if (!batch.isEmpty()) {
                for (Pending p : batch) {
                    p.future.completeExceptionally(new QueueException(log.label + " failed earlier: " + log.failure,
                            log.failure));
                }
            }
            try {
                if (unforcedRecords > 0 && log.fsync.mode() == FsyncPolicy.Mode.INTERVAL
                        && (exiting || System.nanoTime() - lastForce >= log.fsync.interval().toNanos())) {
                    forceActive();
                    lastForce = System.nanoTime();
                }
                if (log.checkpointDirty && (exiting || System.nanoTime() - lastCheckpoint >= CHECKPOINT_INTERVAL_NANOS)) {
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
     * Writes a batch, or refuses it for lack of log.space. A write that fails for lack of log.space is rolled back (the
     * segment truncated to where the batch began, log.segments created by it deleted), its records fail with
     * {@link QueueNoSpaceException}, and the log stays usable: later batches are refused without touching the disk
     * until a probe write succeeds ({@link DiskSpace}). A failed force is never rolled back: after an log.fsync error
     * the page cache cannot be trusted, so the log fails for good ({@link #fail}).
     */
    private void writeOrRefuse(List<Pending> batch, ByteBuffer buf) {
        long bytes = 0;
        int records = 0;
        for (Pending p : batch) {
            bytes += p.frameBytes;
            records += p.payloads.length;
        }
        if (!log.space.tryWrite(bytes)) {
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
            log.space.succeeded();
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
            log.space.failed(t);
            refuse(batch, bytes, records, t);
        }
    }

    private void refuse(List<Pending> batch, long bytes, int records, Throwable cause) {
        log.lock.lock();
        try {
            log.reservedUnwritten -= bytes;
        } finally {
            log.lock.unlock();
        }
        log.space.refused(records);
        QueueNoSpaceException e = log.space.error(cause);
        List<Pending> refused = List.copyOf(batch);
        log.completer.execute(() -> {
            for (Pending p : refused) {
                p.future.completeExceptionally(e);
            }
        });
    }

    /** Undoes a batch whose write failed: nothing of it was published, so the files go back to where it began. */
    private void rollBack(Segment startSeg, long startSize, long startLast, long startIndexed, long startNext)
            throws IOException {
        List<Segment> created;
        log.segmentsLock.writeLock().lock();
        try {
            created = new ArrayList<>(log.segments.tailMap(startSeg.baseOffset, false).values());
            for (Segment seg : created) {
                log.segments.remove(seg.baseOffset);
            }
        } finally {
            log.segmentsLock.writeLock().unlock();
        }
        for (Segment seg : created) {
            try {
                seg.close();
            } catch (IOException e) {
                LOG.debug("log.closing {} failed", seg.path, e);
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
                if (segHasRecords && pos + frame > log.segmentBytes) {
                    writeOut(buf, seg, bufStart);
                    seg.size = pos;
                    seg.lastOffset = offset - 1;
                    if (log.fsync.mode() != FsyncPolicy.Mode.NEVER) {
                        long t0 = System.nanoTime();
                        forcing = true;
                        seg.channel.force(false);
                        forcing = false;
                        log.listener.fsynced(log.metricName, records, bytes, System.nanoTime() - t0);
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
                FrameCodec.putFrame(target, offset, now, payload, crc);
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
        if (log.fsync.mode() == FsyncPolicy.Mode.ALWAYS) {
            long t0 = System.nanoTime();
            forcing = true;
            seg.channel.force(false);
            forcing = false;
            log.listener.fsynced(log.metricName, records, bytes, System.nanoTime() - t0);
        } else {
            unforcedRecords += records;
            unforcedBytes += bytes;
        }
        log.durable = new SegmentLog.Mark(offset, seg, pos);
        log.lock.lock();
        try {
            log.reservedUnwritten -= bytes;
            log.writtenGlobalEnd = seg.globalPosition(pos);
            log.dataAvailable.signalAll();
        } finally {
            log.lock.unlock();
        }
        if (log.reportAppended) {
            log.listener.appended(log.metricName, records, payloadBytes);
        }
        List<Pending> done = List.copyOf(batch);
        log.completer.execute(() -> {
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
        log.listener.fsynced(log.metricName, (int) unforcedRecords, unforcedBytes, System.nanoTime() - t0);
        unforcedRecords = 0;
        unforcedBytes = 0;
    }

    private Segment roll(long baseOffset, long globalStart) throws IOException {
        Segment seg = createSegment(baseOffset, globalStart);
        active = seg;
        LOG.debug("{}: rolled to segment {}", log.label, seg.path);
        return seg;
    }

    Segment createSegment(long baseOffset, long globalStart) throws IOException {
        Path p = log.dir.resolve(Segment.fileName(baseOffset));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            writeHeader(ch, baseOffset);
            if (log.fsync.mode() != FsyncPolicy.Mode.NEVER) {
                ch.force(true);
                Dirs.forceDirectory(log.dir);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(p); // e.g. no log.space for the header: leave no empty segment behind
            throw e;
        }
        Segment seg = new Segment(p, baseOffset, ch, globalStart, SEGMENT_HEADER, baseOffset - 1);
        log.segmentsLock.writeLock().lock();
        try {
            log.segments.put(baseOffset, seg);
        } finally {
            log.segmentsLock.writeLock().unlock();
        }
        return seg;
    }

    private void fail(Throwable t, List<Pending> batch) {
        if (log.failure == null) {
            log.failure = t;
            LOG.error("{} in {}: write failed; the log refuses further appends until restart", log.label, log.dir, t);
        }
        QueueException e = new QueueException(log.label + " in " + log.dir + ": write failed: " + t
                + " - the records were NOT acknowledged; fix the disk problem and restart", t);
        for (Pending p : batch) {
            p.future.completeExceptionally(e);
        }
        List<Pending> rest = new ArrayList<>();
        log.lock.lock();
        try {
            rest.addAll(log.pending);
            rest.addAll(log.waiters);
            log.pending.clear();
            log.waiters.clear();
            log.reservedUnwritten = 0;
        } finally {
            log.lock.unlock();
        }
        for (Pending p : rest) {
            p.future.completeExceptionally(e);
        }
    }

    /** Writer thread: persists the log.committed offset, then deletes log.segments that hold only log.committed records. */
    private void writeCheckpointAndClean() throws IOException {
        log.checkpointDirty = false;
        long c = log.committed;
        try {
            log.checkpoint.write(c, log.fsync.mode() != FsyncPolicy.Mode.NEVER);
        } catch (IOException e) {
            if (!DiskSpace.isNoSpace(e)) {
                throw e;
            }
            // Only when the log.checkpoint's log.space could not be reserved at open. Segments stay until the log.committed
            // offset is on disk, so that offsets are never reused after a restart; retried on the next commit.
            log.checkpointDirty = true;
            if (System.nanoTime() - lastCheckpointWarnNanos >= DiskSpace.LOG_INTERVAL.toNanos()) {
                lastCheckpointWarnNanos = System.nanoTime();
                LOG.warn("{}: cannot persist log.committed offset {} in {}: {}; delivered log.segments are deleted once it"
                        + " is written (retried), free disk log.space", log.label, c, log.dir, e.getMessage());
            }
            return;
        }
        List<Segment> doomed = new ArrayList<>();
        for (Map.Entry<Long, Segment> e : log.segments.entrySet()) {
            Segment seg = e.getValue();
            Map.Entry<Long, Segment> next = log.segments.higherEntry(e.getKey());
            if (seg == active || next == null || next.getKey() - 1 > c) {
                break;
            }
            doomed.add(seg);
        }
        if (log.space.refusing() && !active.isEmpty() && active.lastOffset <= c) {
            retireActive(c);
        }
        if (doomed.isEmpty()) {
            return;
        }
        log.segmentsLock.writeLock().lock();
        try {
            for (Segment seg : doomed) {
                log.segments.remove(seg.baseOffset);
                seg.close();
            }
        } finally {
            log.segmentsLock.writeLock().unlock();
        }
        for (Segment seg : doomed) {
            Files.deleteIfExists(seg.path);
            LOG.debug("{}: deleted fully log.committed segment {}", log.label, seg.path);
        }
        log.space.spaceFreed();
    }

    /**
     * Disk full and every record delivered, the active segment included: deletes the active segment and starts an
     * empty one at the next offset, so that its log.space comes back even when it never filled up (a segment is only
     * deleted once a newer one exists). Delete first, then create: on a disk that is 100% full the new segment needs
     * the freed log.space. A crash in between leaves no segment, and the checkpoint (written just before) gives the next
     * offset, so offsets are not reused. Writer thread only.
     */
    private void retireActive(long committedOffset) throws IOException {
        Segment old = active;
        long global = old.globalPosition(old.size);
        log.segmentsLock.writeLock().lock();
        try {
            log.segments.remove(old.baseOffset);
            old.close();
        } finally {
            log.segmentsLock.writeLock().unlock();
        }
        Files.deleteIfExists(old.path);
        Segment seg = createSegment(nextOffset, global);
        active = seg;
        log.durable = new SegmentLog.Mark(nextOffset, seg, seg.size);
        log.reader.forgetHint();
        log.space.spaceFreed();
        LOG.info("{}: disk full and every record up to offset {} delivered: replaced segment {} by an empty one, so its"
                + " log.space comes back", log.label, committedOffset, old.path);
    }
}
