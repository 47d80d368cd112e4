package io.routemq.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the receiving side of one bench phase saw: per topic, which sequence numbers arrived (loss, duplicates,
 * reordering), and the publish-to-receive latency of every first delivery. Thread-safe; receivers call
 * {@link #record(byte[], long)} from any thread.
 */
final class Receipts {
    private final byte phase;
    private final TopicState[] topics;
    private final Recorder latency = new Recorder(3);
    private final LongAdder received = new LongAdder();
    private final LongAdder distinct = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder reordered = new LongAdder();
    private final LongAdder stray = new LongAdder();
    private final AtomicLong firstReceive = new AtomicLong();
    private volatile long lastReceive;

    private static final class TopicState {
        final BitSet seen = new BitSet();
        int maxSeq = -1;
    }

    Receipts(byte phase, int topicCount) {
        this.phase = phase;
        this.topics = new TopicState[topicCount];
        for (int i = 0; i < topicCount; i++) topics[i] = new TopicState();
    }

    /** A sink for messages before the first phase: counts everything as stray. */
    static Receipts idle() {
        return new Receipts((byte) 0, 0);
    }

    /** Records one received payload at {@code nowNanos} ({@link System#nanoTime()}). */
    void record(byte[] payload, long nowNanos) {
        if (!Payloads.valid(payload) || Payloads.phase(payload) != phase) {
            stray.increment();
            return;
        }
        int t = Payloads.topic(payload);
        if (t < 0 || t >= topics.length) {
            stray.increment();
            return;
        }
        int seq = Payloads.seq(payload);
        TopicState s = topics[t];
        boolean dup;
        synchronized (s) {
            dup = s.seen.get(seq);
            if (!dup) s.seen.set(seq);
            if (seq < s.maxSeq) reordered.increment();
            else s.maxSeq = seq;
        }
        received.increment();
        if (dup) {
            duplicates.increment();
        } else {
            distinct.increment();
            latency.recordValue(Math.max(0, nowNanos - Payloads.nanos(payload)));
        }
        firstReceive.compareAndSet(0, nowNanos);
        lastReceive = nowNanos;
    }

    long received() {
        return received.sum();
    }

    long distinct() {
        return distinct.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long reordered() {
        return reordered.sum();
    }

    long stray() {
        return stray.sum();
    }

    long lastReceiveNanos() {
        return lastReceive;
    }

    long firstReceiveNanos() {
        return firstReceive.get();
    }

    /** The latency histogram (nanoseconds) of everything recorded so far; call once, at the end of the phase. */
    Histogram latencyNanos() {
        return latency.getIntervalHistogram();
    }

    /**
     * Waits until {@code expected} distinct messages have arrived, or nothing new arrived for {@code idle}, or the
     * deadline passed.
     *
     * @return true if every expected message arrived
     */
    boolean awaitDistinct(long expected, long idleNanos, long deadlineNanos) throws InterruptedException {
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long n = distinct();
            if (n >= expected) return true;
            long now = System.nanoTime();
            if (n != lastCount) {
                lastCount = n;
                lastChange = now;
            } else if (now - lastChange > idleNanos) {
                return false;
            }
            if (now > deadlineNanos) return false;
            Thread.sleep(5);
        }
    }
}
