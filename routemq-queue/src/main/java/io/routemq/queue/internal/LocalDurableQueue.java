package io.routemq.queue.internal;

import io.routemq.queue.DeadLetterQueue;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.OverflowPolicy;
import io.routemq.queue.QueueConfig;
import io.routemq.queue.QueueException;
import io.routemq.queue.QueueFullException;
import io.routemq.queue.QueueListener;
import io.routemq.queue.QueueRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/** A sink's durable queue on a {@link SegmentLog}, applying the bound and the overflow policy. */
final class LocalDurableQueue implements DurableQueue {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDurableQueue.class);

    private final String name;
    private final SegmentLog log;
    private final QueueConfig config;
    private final QueueListener listener;
    private final ScheduledExecutorService scheduler;
    private LocalDeadLetterQueue deadLetters;
    private volatile boolean overflowing;

    LocalDurableQueue(String name, SegmentLog log, QueueConfig config, ScheduledExecutorService scheduler) {
        this.name = name;
        this.log = log;
        this.config = config;
        this.listener = config.listener();
        this.scheduler = scheduler;
    }

    void attach(LocalDeadLetterQueue dlq) {
        this.deadLetters = dlq;
    }

    SegmentLog log() {
        return log;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Long> append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        return submit(new byte[][] {payload});
    }

    @Override
    public CompletableFuture<List<Long>> appendAll(List<byte[]> payloads) {
        Objects.requireNonNull(payloads, "payloads");
        if (payloads.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        byte[][] array = payloads.toArray(new byte[0][]);
        for (byte[] p : array) {
            Objects.requireNonNull(p, "payloads contains null");
        }
        int n = array.length;
        return submit(array).thenApply(first -> offsets(first, n));
    }

    private static List<Long> offsets(long first, int n) {
        if (first == DEAD_LETTERED) {
            return Collections.nCopies(n, DEAD_LETTERED);
        }
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(first + i);
        }
        return out;
    }

    private CompletableFuture<Long> submit(byte[][] payloads) {
        QueueException tooLarge = checkSize(payloads);
        if (tooLarge != null) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        Pending p = new Pending(payloads);
        if (log.tryAppend(p)) {
            overflowing = false;
            return p.future;
        }
        listener.overflow(name, config.overflowPolicy());
        if (!overflowing) {
            overflowing = true;
            LOG.warn("queue of sink '{}' reached maxBytes {} ({} bytes uncommitted); overflow policy {}: {}", name,
                    config.maxBytes(), log.sizeBytes(), config.overflowPolicy(),
                    config.overflowPolicy() == OverflowPolicy.BLOCK
                            ? "appends wait for delivery to commit (MQTT acks are delayed)"
                            : "new records go to the dead-letter queue");
        }
        if (config.overflowPolicy() == OverflowPolicy.BLOCK) {
            log.appendOrWait(p, config.blockTimeout(), scheduler);
            return p.future;
        }
        Instant now = Instant.now();
        String reason = "queue full: sink '" + name + "' had " + log.sizeBytes() + " of maxBytes " + config.maxBytes()
                + " bytes uncommitted (overflow policy DEAD_LETTER)";
        List<CompletableFuture<Long>> parts = new ArrayList<>(payloads.length);
        for (byte[] payload : payloads) {
            parts.add(deadLetters.add(payload, -1, reason, 0, now, now));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> DEAD_LETTERED);
    }

    private QueueException checkSize(byte[][] payloads) {
        long total = 0;
        for (byte[] p : payloads) {
            if (p.length > log.maxPayloadBytes()) {
                return new QueueFullException("record of " + p.length + " bytes for sink '" + name + "' is larger"
                        + " than a queue segment can hold (" + log.maxPayloadBytes() + " bytes); the record was NOT"
                        + " enqueued - raise the queue segmentBytes or send smaller messages");
            }
            total += FrameCodec.frameBytes(p);
        }
        if (total > config.maxBytes()) {
            return new QueueFullException((payloads.length == 1 ? "record" : "batch of " + payloads.length
                    + " records") + " needs " + total + " bytes but the queue of sink '" + name + "' is bounded to"
                    + " maxBytes " + config.maxBytes() + " and can never hold it; NOT enqueued - raise maxBytes"
                    + (payloads.length == 1 ? "" : " or append in smaller batches"));
        }
        return null;
    }

    /** Appends for a dead-letter replay: no waiting and no diversion; fails if the queue has no room. */
    CompletableFuture<Long> appendForReplay(List<byte[]> payloads) {
        byte[][] array = payloads.toArray(new byte[0][]);
        QueueException tooLarge = checkSize(array);
        if (tooLarge != null) {
            return CompletableFuture.failedFuture(tooLarge);
        }
        Pending p = new Pending(array);
        if (!log.tryAppend(p)) {
            return CompletableFuture.failedFuture(new QueueFullException("cannot replay into the queue of sink '"
                    + name + "': it is full (" + log.sizeBytes() + " of maxBytes " + config.maxBytes() + " bytes"
                    + " uncommitted) - let delivery catch up, then replay again"));
        }
        return p.future;
    }

    @Override
    public List<QueueRecord> read(long fromOffset, int maxRecords) {
        return log.read(fromOffset, maxRecords);
    }

    @Override
    public boolean awaitRecords(long fromOffset, Duration timeout) throws InterruptedException {
        return log.awaitRecords(fromOffset, timeout);
    }

    @Override
    public void commit(long offsetInclusive) {
        if (log.commit(offsetInclusive, false)) {
            listener.committed(name, offsetInclusive);
        }
    }

    @Override
    public long committedOffset() {
        return log.committed();
    }

    @Override
    public long nextOffset() {
        return log.nextOffset();
    }

    @Override
    public long sizeRecords() {
        return log.sizeRecords();
    }

    @Override
    public long sizeBytes() {
        return log.sizeBytes();
    }

    @Override
    public Optional<String> appendsRefused() {
        return Optional.ofNullable(log.appendsRefused());
    }

    @Override
    public DeadLetterQueue deadLetters() {
        return deadLetters;
    }

    @Override
    public String toString() {
        return "DurableQueue[" + name + ", " + log.dir() + "]";
    }
}
