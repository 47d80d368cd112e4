package io.routemq.queue.bench;

import io.routemq.queue.DeadLetterQueue;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.QueueRecord;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The H2 MVStore contender of {@link QueueBench}: the same group-commit scheme as the segment log (one writer
 * thread drains all pending appends, puts them into an {@code MVMap<Long, byte[]>}, then one
 * {@code MVStore.commit()} + {@code MVStore.sync()} per batch). Bench-only; it lost the benchmark, see
 * docs/queue.md. Implements only what the bench and its smoke test use.
 */
public final class MvStoreQueue implements DurableQueue, AutoCloseable {
    private record Pending(byte[] payload, CompletableFuture<Long> future) { }

    private final MVStore store;
    private final MVMap<Long, byte[]> map;
    private final MVMap<String, Long> meta;
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong maxGroup = new AtomicLong();
    private volatile long next;
    private volatile long committed;
    private volatile boolean closing;

    /** @param file the MVStore file */
    public MvStoreQueue(Path file) {
        store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        map = store.openMap("records");
        meta = store.openMap("meta");
        Long last = map.lastKey();
        next = last == null ? 0 : last + 1;
        committed = meta.getOrDefault("committed", -1L);
        writer = new Thread(this::run, "mvstore-writer");
        writer.start();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closing || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(batch);
            long offset = next;
            long now = System.currentTimeMillis();
            for (Pending p : batch) {
                byte[] v = ByteBuffer.allocate(8 + p.payload.length).putLong(now).put(p.payload).array();
                map.put(offset++, v);
            }
            store.commit();
            store.sync();
            fsyncs.incrementAndGet();
            maxGroup.accumulateAndGet(batch.size(), Math::max);
            long first = next;
            next = offset;
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).future.complete(first + i);
            }
            batch.clear();
        }
    }

    /** @return number of commit+sync calls */
    public long fsyncs() {
        return fsyncs.get();
    }

    /** @return largest batch per commit */
    public long maxGroup() {
        return maxGroup.get();
    }

    @Override
    public String name() {
        return "mvstore";
    }

    @Override
    public CompletableFuture<Long> append(byte[] payload) {
        Pending p = new Pending(payload, new CompletableFuture<>());
        pending.add(p);
        return p.future;
    }

    @Override
    public CompletableFuture<List<Long>> appendAll(List<byte[]> payloads) {
        throw new UnsupportedOperationException("bench-only store");
    }

    @Override
    public List<QueueRecord> read(long fromOffset, int maxRecords) {
        List<QueueRecord> out = new ArrayList<>();
        long limit = next;
        Cursor<Long, byte[]> it = map.cursor(fromOffset);
        while (it.hasNext() && out.size() < maxRecords) {
            Long key = it.next();
            if (key >= limit) {
                break;
            }
            ByteBuffer b = ByteBuffer.wrap(it.getValue());
            long ts = b.getLong();
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            out.add(new QueueRecord(key, payload, ts));
        }
        return out;
    }

    @Override
    public boolean awaitRecords(long fromOffset, Duration timeout) {
        throw new UnsupportedOperationException("bench-only store");
    }

    @Override
    public synchronized void commit(long offsetInclusive) {
        for (long o = committed + 1; o <= offsetInclusive; o++) {
            map.remove(o);
        }
        committed = offsetInclusive;
        meta.put("committed", offsetInclusive);
    }

    @Override
    public long committedOffset() {
        return committed;
    }

    @Override
    public long nextOffset() {
        return next;
    }

    @Override
    public long sizeRecords() {
        return next - committed - 1;
    }

    @Override
    public long sizeBytes() {
        throw new UnsupportedOperationException("bench-only store");
    }

    @Override
    public DeadLetterQueue deadLetters() {
        throw new UnsupportedOperationException("bench-only store");
    }

    @Override
    public void close() {
        closing = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
