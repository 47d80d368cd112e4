package io.routemq.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.BitSet;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the receiving side of one bench phase saw: per topic, which sequence numbers arrived (loss, duplicates,
 * reordering), and the publish-to-receive latency of every first delivery (wall clock: publisher and receiver may be
 * different processes on one machine). Thread-safe; receivers call {@link #record(byte[], long)} from any thread.
 * With a {@link SharedCounter}, the counts are also published to the bench process.
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
    private final SharedCounter shared;
    private volatile long lastReceive;

    private static final class TopicState {
        final BitSet seen = new BitSet();
        int maxSeq = -1;
    }

    Receipts(byte phase, int topicCount) {
        this(phase, topicCount, null);
    }

    Receipts(byte phase, int topicCount, SharedCounter shared) {
        this.phase = phase;
        this.shared = shared;
        this.topics = new TopicState[topicCount];
        for (int i = 0; i < topicCount; i++) topics[i] = new TopicState();
    }

    /** A sink for messages before the first phase: counts everything as stray. */
    static Receipts idle() {
        return new Receipts((byte) 0, 0);
    }

    /** Records one received payload at {@code nowNanos} ({@link Payloads#wallNanos()}). */
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
        if (shared != null) shared.add(!dup);
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

    /** What this phase saw, with the latency of everything recorded since the previous call; call once, at the end. */
    Summary summary() {
        return new Summary(received(), distinct(), duplicates(), reordered(), stray(), lastReceive, latency.getIntervalHistogram());
    }

    /**
     * What the receiving side of one phase saw.
     *
     * @param received         messages received, duplicates included
     * @param distinct         distinct messages
     * @param duplicates       received more than once
     * @param reordered        received after a later message of the same topic
     * @param stray            messages of another phase or not from the bench
     * @param lastReceiveNanos wall clock of the last receipt ({@link Payloads#wallNanos()}), 0 if none
     * @param latencyNanos     publish-to-receive latency of each first delivery
     */
    record Summary(long received, long distinct, long duplicates, long reordered, long stray, long lastReceiveNanos,
                   Histogram latencyNanos) {

        /** One line of text (the consumer process's report to the bench process). */
        String encode() {
            ByteBuffer buf = ByteBuffer.allocate(latencyNanos.getNeededByteBufferCapacity());
            int n = latencyNanos.encodeIntoCompressedByteBuffer(buf);
            String h = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
            return String.format(Locale.ROOT, "%d %d %d %d %d %d %s", received, distinct, duplicates, reordered, stray, lastReceiveNanos, h);
        }

        /** The inverse of {@link #encode()}. */
        static Summary decode(String line) {
            String[] f = line.strip().split(" ");
            try {
                Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(f[6])), 0);
                return new Summary(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5]), h);
            } catch (java.util.zip.DataFormatException | RuntimeException e) {
                throw new IllegalStateException("unreadable receipt summary from the consumer process: " + line, e);
            }
        }
    }

    /**
     * Waits until {@code expected} distinct messages have arrived, or nothing new arrived for {@code idle}, or the
     * deadline passed.
     *
     * @return true if every expected message arrived
     */
    static boolean awaitDistinct(LongSupplier distinct, long expected, long idleNanos, long deadlineNanos) throws InterruptedException {
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long n = distinct.getAsLong();
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
