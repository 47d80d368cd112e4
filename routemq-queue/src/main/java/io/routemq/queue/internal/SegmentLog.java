package io.routemq.queue.internal;

import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.QueueClosedException;
import io.routemq.queue.QueueException;
import io.routemq.queue.QueueFullException;
import io.routemq.queue.QueueListener;
import io.routemq.queue.QueueRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An append-only segment log with offsets, group commit, CRC-checked frames, crash recovery, a persisted
 * committed offset and a bound on uncommitted bytes.
 *
 * <p>This class holds the log's shared state, admits appends (the bound on uncommitted bytes, FIFO waiters),
 * commits, and opens and closes the log. Its parts: {@link FrameCodec} (the file format), {@link SegmentRecovery}
 * (opening a directory after a crash), {@link SegmentWriter} (the writer thread: batches, fsync, segment roll,
 * checkpoints and deleting delivered segments) and {@link SegmentReader} (reads).
 */
final class SegmentLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);

    /** The durable (readable) end of the log. */
    record Mark(long nextOffset, Segment segment, long position) { }

    final Path dir;
    final String label;
    final String metricName;
    final long segmentBytes;
    final FsyncPolicy fsync;
    private final long maxBytes;
    final QueueListener listener;
    final boolean reportAppended;

    final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
    final Checkpoint checkpoint;
    final DiskSpace space;

    final ReentrantLock lock = new ReentrantLock();
    final Condition workAvailable = lock.newCondition();
    final Condition dataAvailable = lock.newCondition();
    // guarded by lock
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    final ArrayDeque<Pending> waiters = new ArrayDeque<>();
    long reservedUnwritten;
    long writtenGlobalEnd;
    long committedGlobalPos;
    boolean closing;

    private final Object commitLock = new Object();
    volatile long committed;
    volatile boolean checkpointDirty;
    volatile Mark durable;
    volatile Throwable failure;

    final SegmentWriter writer = new SegmentWriter(this);
    final SegmentReader reader = new SegmentReader(this);
    private final Thread writerThread;
    final ExecutorService completer;

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
        this.writerThread = writerFactory.newThread(writer::run);
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
        log.writerThread.start();
        return log;
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        long lastOffset = SegmentRecovery.loadSegments(dir, label, segments, committed);
        long next = lastOffset + 1;
        Segment active;
        if (segments.isEmpty()) {
            active = writer.createSegment(Math.max(0, committed + 1), 0);
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
                active = writer.createSegment(next, active.globalPosition(active.size));
            }
        }
        writer.active = active;
        writer.nextOffset = next;
        long end = active.globalPosition(active.size);
        writtenGlobalEnd = end;
        durable = new Mark(next, active, active.size);
        committedGlobalPos = committed < 0 ? firstGlobalPosition() : reader.globalPositionOf(committed + 1);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: opened {} segment(s), offsets next={} committed={} uncommitted bytes={}", label,
                    segments.size(), next, committed, end - committedGlobalPos);
        }
    }

    private long firstGlobalPosition() {
        Segment first = segments.firstEntry().getValue();
        return first.globalStart;
    }

    /** @return the largest payload a segment can hold */
    long maxPayloadBytes() {
        return segmentBytes - FrameCodec.SEGMENT_HEADER - FrameCodec.FRAME_HEADER;
    }

    String label() {
        return label;
    }

    /**
     * Fails {@code p} if the log accepts no appends (closed, or an earlier write failed). Caller holds the lock.
     *
     * @return true if {@code p} was failed
     */
    private boolean refusedLocked(Pending p) {
        QueueException x = null;
        Throwable f = failure;
        if (closing) {
            x = closed();
        } else if (f != null) {
            x = new QueueException(label + " in " + dir + " failed earlier and accepts no more records: " + f
                    + " - fix the disk problem and restart the gateway (recovery drops anything not durable)", f);
        }
        if (x != null) {
            p.future.completeExceptionally(x);
        }
        return x != null;
    }

    /** Enqueues without any bound (dead-letter logs). */
    void appendUnbounded(Pending p) {
        lock.lock();
        try {
            if (refusedLocked(p)) {
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
            if (refusedLocked(p)) {
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
            if (refusedLocked(p)) {
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
        // the first pending record wakes the writer; so does the one that fills its linger (SegmentWriter.LINGER_BYTES)
        if (pending.size() == 1 || reservedUnwritten >= SegmentWriter.LINGER_BYTES && reservedUnwritten - p.frameBytes < SegmentWriter.LINGER_BYTES) {
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
                pos = reader.globalPositionOf(offsetInclusive + 1);
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

    // ------------------------------------------------------------------ reads

    List<QueueRecord> read(long fromOffset, int maxRecords) {
        return reader.read(fromOffset, maxRecords);
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
            writerThread.join();
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
}
