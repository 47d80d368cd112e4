package io.routemq.queue.internal;

import io.routemq.queue.DeadLetter;
import io.routemq.queue.DeadLetterQueue;
import io.routemq.queue.QueueException;
import io.routemq.queue.QueueFullException;
import io.routemq.queue.QueueListener;
import io.routemq.queue.QueueRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Dead letters of one sink: an unbounded {@link SegmentLog} of encoded entries (id = offset) plus a log of
 * removal markers (ids replayed or purged). Removed ids at the front are folded into the entry log's committed
 * offset, which lets whole segments be deleted; then the marker log is committed too.
 */
final class LocalDeadLetterQueue implements DeadLetterQueue {
    private static final int PAGE = 256;
    private static final long PAGE_BYTES = 4L << 20;

    private final String sink;
    private final SegmentLog entries;
    private final SegmentLog removedLog;
    private final LocalDurableQueue queue;
    private final QueueListener listener;
    /** Removed ids above the entry log's committed offset. Guarded by this. */
    private final TreeSet<Long> removed = new TreeSet<>();

    LocalDeadLetterQueue(String sink, SegmentLog entries, SegmentLog removedLog, LocalDurableQueue queue,
                         QueueListener listener) {
        this.sink = sink;
        this.entries = entries;
        this.removedLog = removedLog;
        this.queue = queue;
        this.listener = listener;
        loadRemoved();
    }

    private synchronized void loadRemoved() {
        long from = removedLog.committed() + 1;
        while (true) {
            List<QueueRecord> batch = removedLog.read(from, 4096);
            if (batch.isEmpty()) {
                break;
            }
            for (QueueRecord r : batch) {
                long id = ByteBuffer.wrap(r.payload()).getLong();
                if (id > entries.committed()) {
                    removed.add(id);
                }
            }
            from = batch.getLast().offset() + 1;
        }
        compact();
    }

    @Override
    public String sink() {
        return sink;
    }

    @Override
    public CompletableFuture<Long> add(byte[] payload, long originalOffset, String lastError, int attempts,
                                       Instant firstFailureAt, Instant lastFailureAt) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(firstFailureAt, "firstFailureAt");
        Objects.requireNonNull(lastFailureAt, "lastFailureAt");
        byte[] encoded = DeadLetterCodec.encode(payload, originalOffset, lastError, attempts, firstFailureAt,
                lastFailureAt);
        if (encoded.length > entries.maxPayloadBytes()) {
            return CompletableFuture.failedFuture(new QueueFullException("dead letter of " + payload.length
                    + " bytes for sink '" + sink + "' is larger than a segment can hold (" + entries.maxPayloadBytes()
                    + " bytes) - raise the queue segmentBytes"));
        }
        Pending p = new Pending(new byte[][] {encoded});
        entries.appendUnbounded(p);
        return p.future.thenApply(id -> {
            listener.deadLettered(sink, lastError);
            return id;
        });
    }

    @Override
    public synchronized List<DeadLetter> list(long fromId, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        List<DeadLetter> out = new ArrayList<>(Math.min(limit, 1024));
        long from = Math.max(fromId, entries.committed() + 1);
        while (out.size() < limit) {
            List<QueueRecord> batch = entries.read(from, Math.max(PAGE, limit - out.size()));
            if (batch.isEmpty()) {
                break;
            }
            for (QueueRecord r : batch) {
                if (!removed.contains(r.offset())) {
                    out.add(decode(r));
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            from = batch.getLast().offset() + 1;
        }
        return out;
    }

    @Override
    public synchronized Optional<DeadLetter> show(long id) {
        if (id <= entries.committed() || removed.contains(id)) {
            return Optional.empty();
        }
        List<QueueRecord> r = entries.read(id, 1);
        if (r.isEmpty() || r.getFirst().offset() != id) {
            return Optional.empty();
        }
        return Optional.of(decode(r.getFirst()));
    }

    @Override
    public synchronized boolean replay(long id) {
        Optional<DeadLetter> dl = show(id);
        if (dl.isEmpty()) {
            return false;
        }
        join(queue.appendForReplay(List.of(dl.get().payload())));
        markRemoved(List.of(id));
        return true;
    }

    @Override
    public synchronized long replayAll() {
        long done = 0;
        while (true) {
            List<DeadLetter> page = new ArrayList<>();
            long bytes = 0;
            for (DeadLetter d : list(0, PAGE)) {
                if (!page.isEmpty() && bytes + d.payload().length > PAGE_BYTES) {
                    break;
                }
                page.add(d);
                bytes += d.payload().length;
            }
            if (page.isEmpty()) {
                return done;
            }
            List<byte[]> payloads = page.stream().map(DeadLetter::payload).toList();
            try {
                join(queue.appendForReplay(payloads));
                markRemoved(page.stream().map(DeadLetter::id).toList());
                done += page.size();
            } catch (QueueFullException full) {
                // the whole page did not fit: go one by one until the queue is full
                for (DeadLetter d : page) {
                    try {
                        join(queue.appendForReplay(List.of(d.payload())));
                    } catch (QueueFullException e) {
                        throw new QueueFullException("replayed " + done + " dead letters of sink '" + sink
                                + "', then its queue was full; " + size() + " remain in the dead-letter queue. "
                                + e.getMessage());
                    }
                    markRemoved(List.of(d.id()));
                    done++;
                }
            }
        }
    }

    @Override
    public synchronized boolean purge(long id) {
        if (show(id).isEmpty()) {
            return false;
        }
        markRemoved(List.of(id));
        return true;
    }

    @Override
    public synchronized long purgeAll() {
        long n = size();
        long last = entries.nextOffset() - 1;
        if (last > entries.committed()) {
            entries.commit(last, true);
        }
        removed.clear();
        compact();
        return n;
    }

    @Override
    public synchronized long size() {
        return Math.max(0, entries.nextOffset() - entries.committed() - 1 - removed.size());
    }

    private void markRemoved(List<Long> ids) {
        List<byte[]> markers = new ArrayList<>(ids.size());
        for (long id : ids) {
            markers.add(ByteBuffer.allocate(8).putLong(id).array());
        }
        Pending p = new Pending(markers.toArray(new byte[0][]));
        removedLog.appendUnbounded(p);
        join(p.future);
        removed.addAll(ids);
        compact();
    }

    /** Folds removed ids at the front into the committed offset (durably) and reclaims the marker log. */
    private void compact() {
        long c = entries.committed();
        removed.headSet(c, true).clear();
        while (!removed.isEmpty() && removed.first() == c + 1) {
            removed.pollFirst();
            c++;
        }
        if (c > entries.committed()) {
            entries.commit(c, true);
        }
        long lastMarker = removedLog.nextOffset() - 1;
        if (removed.isEmpty() && lastMarker > removedLog.committed()) {
            removedLog.commit(lastMarker, true);
        }
    }

    private DeadLetter decode(QueueRecord r) {
        return DeadLetterCodec.decode(sink, r, "the dead-letter queue of sink '" + sink + "' (" + entries.dir() + ")");
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof QueueException q) {
                throw q;
            }
            throw new QueueException(e.getCause().toString(), e.getCause());
        }
    }
}
