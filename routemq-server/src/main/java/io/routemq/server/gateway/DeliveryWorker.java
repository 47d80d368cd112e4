package io.routemq.server.gateway;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.Sink;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.QueueRecord;
import io.routemq.core.config.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves one sink's durable queue into the sink: reads a window of records, delivers them, retries the failures with
 * the {@link RetryPolicy} and dead-letters what is refused or out of attempts.
 *
 * <p>Up to {@link Sink#maxConcurrentBatches()} windows (batches) are in flight at once, each on its own virtual
 * thread, while the worker reads the next one; with one batch at a time (the default) the worker delivers each
 * itself, then reads the next. Per-topic order holds: a batch starts only once no unfinished earlier batch holds one
 * of its topics, and a batch keeps its topics until every record in it is delivered or dead-lettered
 * (its retries included). The queue is committed up to a watermark: the last record of the longest finished prefix of
 * batches, so a record is committed only once it and every record before it are delivered or durably dead-lettered,
 * and a crash at any point re-delivers (at-least-once) and never loses. With the default of one batch this is the
 * plain loop: read, deliver, commit. Runs on its own virtual thread.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Sink sink;
    private final DurableQueue queue;
    private final RetryPolicy retry;
    private final SinkListener listener;
    private final int maxConcurrent;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile String failure;

    // Guarded by lock: the batches handed out and not yet committed, in offset order, and their topics.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private final HashMap<String, Integer> busyTopics = new HashMap<>();
    private int active;         // batches whose delivery thread has not ended
    private boolean halted;

    private DeliveryWorker(Sink sink, DurableQueue queue, RetryPolicy retry, SinkListener listener) {
        this.sink = sink;
        this.queue = queue;
        this.retry = retry;
        this.listener = listener;
        int n = sink.maxConcurrentBatches();
        if (n < 1) throw new IllegalArgumentException("sink '" + sink.name() + "': maxConcurrentBatches() is " + n + "; it must be at least 1");
        this.maxConcurrent = n;
        this.thread = Thread.ofVirtual().name("routemq-deliver-" + queue.name()).unstarted(this::loop);
    }

    /** Starts a worker moving {@code queue} into {@code sink}. */
    public static DeliveryWorker start(Sink sink, DurableQueue queue, RetryPolicy retry, SinkListener listener) {
        DeliveryWorker w = new DeliveryWorker(sink, queue, retry, listener == null ? new SinkListener() { } : listener);
        w.thread.start();
        return w;
    }

    /** Why the worker stopped on its own (undelivered messages stay queued for the next start), or null. */
    public String failure() {
        return failure;
    }

    /** The queue this worker drains. */
    public DurableQueue queue() {
        return queue;
    }

    /** One window of records on its way to the sink. */
    private static final class Batch {
        final List<QueueRecord> records;
        final Envelope[] envelopes; // null where the record was undecodable (already dead-lettered)
        final String[] topics;      // distinct
        final long lastOffset;
        Thread thread;              // the thread delivering it: its own, or the worker's with one batch at a time
        boolean finished;           // every record delivered or dead-lettered
        boolean ended;              // the delivery thread is done, finished or not

        Batch(List<QueueRecord> records, Envelope[] envelopes, String[] topics) {
            this.records = records;
            this.envelopes = envelopes;
            this.topics = topics;
            this.lastOffset = records.get(records.size() - 1).offset();
        }
    }

    private void loop() {
        long next = queue.committedOffset() + 1;
        try {
            while (running && !isHalted()) {
                if (!queue.awaitRecords(next, Duration.ofMillis(200))) {
                    if (draining) break;
                    continue;
                }
                Duration linger = sink.linger();
                if (!linger.isZero() && !fullWindow(next) && awaitIdleOrFull(next, linger)) {
                    Thread.sleep(linger);
                }
                List<QueueRecord> records = queue.read(next, sink.maxBatch());
                if (records.isEmpty()) continue;
                Batch batch = prepare(records);
                if (!admit(batch)) break;
                next = batch.lastOffset + 1;
                if (maxConcurrent == 1) {
                    // One batch at a time: this thread delivers it (admit waited for the one before), instead of a
                    // thread started per batch, which at 15k msgs/s into a discard sink was most of a turn's cost.
                    batch.thread = Thread.currentThread();
                    run(batch);
                } else {
                    batch.thread = Thread.ofVirtual().name("routemq-deliver-" + queue.name() + "-" + batch.lastOffset)
                            .unstarted(() -> run(batch));
                    batch.thread.start();
                }
            }
            awaitEnded(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            stopBatches();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
            try {
                awaitEnded(TimeUnit.SECONDS.toNanos(5));
            } catch (InterruptedException ie) {
                stopBatches();
                Thread.currentThread().interrupt();
            }
        } finally {
            stopped.countDown();
        }
    }

    private void fail(RuntimeException e) {
        lock.lock();
        try {
            if (failure != null) return;
            failure = e.toString();
            halted = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        log.error("delivery worker for sink '{}' stopped on an unexpected error; undelivered messages stay queued "
                + "and are delivered after a restart: {}", queue.name(), e.toString(), e);
    }

    private boolean isHalted() {
        lock.lock();
        try {
            return halted;
        } finally {
            lock.unlock();
        }
    }

    private boolean fullWindow(long next) {
        return queue.nextOffset() - next >= sink.maxBatch();
    }

    /**
     * A window that is not full waits while batches are in flight, until one of them ends or the window fills: so a
     * partial batch goes only to an idle sink (as with one batch in flight) and the further slots carry full batches
     * of a backlog, not more, smaller requests. Returns true if the window is still not full (then it lingers).
     */
    private boolean awaitIdleOrFull(long next, Duration linger) throws InterruptedException {
        while (true) {
            lock.lock();
            try {
                if (active == 0 || !running || halted) return !fullWindow(next);
                changed.await(linger.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                lock.unlock();
            }
            if (fullWindow(next)) return false;
        }
    }

    /** Decodes a window; an undecodable record is dead-lettered here and has no envelope. */
    private Batch prepare(List<QueueRecord> records) throws InterruptedException {
        int n = records.size();
        Envelope[] envelopes = new Envelope[n];
        LinkedHashSet<String> topics = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            try {
                envelopes[i] = Envelope.decode(records.get(i).payload());
                topics.add(envelopes[i].topic());
            } catch (IllegalArgumentException e) {
                deadLetter(records.get(i), null, "undecodable queue record: " + e.getMessage(), 0, Instant.now());
            }
        }
        return new Batch(records, envelopes, topics.toArray(new String[0]));
    }

    /**
     * Waits until the batch may start (a free slot, none of its topics held by an unfinished batch) and registers it;
     * false when stopping or halted first.
     */
    private boolean admit(Batch b) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (!running || halted) return false;
                if (active < maxConcurrent && !holdsAny(b)) break;
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            for (String t : b.topics) busyTopics.merge(t, 1, Integer::sum);
            inFlight.addLast(b);
            active++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean holdsAny(Batch b) {
        if (busyTopics.isEmpty()) return false;
        for (String t : b.topics) if (busyTopics.containsKey(t)) return true;
        return false;
    }

    /** The delivery thread of one batch. */
    private void run(Batch b) {
        boolean finished = false;
        try {
            finished = deliverWindow(b);
        } catch (InterruptedException e) {
            // stopping: the batch stays uncommitted and is delivered after the next start
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            ended(b, finished);
        }
    }

    /** Releases the batch's topics and slot, and commits the finished prefix (the watermark). */
    private void ended(Batch b, boolean finished) {
        lock.lock();
        try {
            b.finished = finished;
            b.ended = true;
            if (!finished) halted = true; // later batches may hold its topics: start none until the next start
            for (String t : b.topics) busyTopics.computeIfPresent(t, (k, c) -> c == 1 ? null : c - 1);
            long watermark = -1;
            while (!inFlight.isEmpty() && inFlight.peekFirst().finished) watermark = inFlight.pollFirst().lastOffset;
            // Under the lock, so commits never go backwards and none happens after the worker has stopped.
            if (watermark >= 0) queue.commit(watermark);
        } finally {
            active--;
            changed.signalAll();
            lock.unlock();
        }
    }

    /** Waits until every started batch has ended, at most {@code nanos}. */
    private void awaitEnded(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(nanos, TimeUnit.DAYS.toNanos(365));
        lock.lock();
        try {
            while (active > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Interrupted while stopping: interrupts the batches in flight and gives them a moment to end. */
    private void stopBatches() {
        lock.lock();
        try {
            halted = true;
            for (Batch b : inFlight) if (!b.ended && b.thread != null) b.thread.interrupt();
        } finally {
            lock.unlock();
        }
        try {
            awaitEnded(TimeUnit.MILLISECONDS.toNanos(500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers a batch; returns false when stopped before it was finished (it is not committed then). */
    private boolean deliverWindow(Batch w) throws InterruptedException {
        List<QueueRecord> records = w.records;
        Envelope[] envelopes = w.envelopes;
        int n = records.size();
        List<Integer> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) if (envelopes[i] != null) pending.add(i);
        int[] attempts = new int[n];
        Instant[] firstFailure = new Instant[n];
        boolean retrying = false;
        while (!pending.isEmpty()) {
            // Stopping: a failing sink is not retried; its records are durable and delivered after the next start.
            if (!running || (retrying && draining)) return false;
            List<Envelope> batch = new ArrayList<>(pending.size());
            for (int i : pending) batch.add(envelopes[i]);
            long start = System.nanoTime();
            List<DeliveryResult> results = sink.deliver(batch);
            if (results.size() != batch.size()) {
                throw new IllegalStateException("sink '" + sink.name() + "' returned " + results.size()
                        + " results for " + batch.size() + " envelopes");
            }
            long nanos = System.nanoTime() - start;
            List<Integer> again = new ArrayList<>();
            Duration wait = Duration.ZERO;
            int delivered = 0;
            long now = System.currentTimeMillis();
            for (int k = 0; k < results.size(); k++) {
                int i = pending.get(k);
                attempts[i]++;
                DeliveryResult r = results.get(k);
                switch (r) {
                    case DeliveryResult.Delivered d -> delivered++;
                    case DeliveryResult.Reject rej -> deadLetter(records.get(i), firstFailure[i], rej.error(), attempts[i], Instant.now());
                    case DeliveryResult.Retry re -> {
                        if (firstFailure[i] == null) firstFailure[i] = Instant.now();
                        if (retry.mayRetry(attempts[i], envelopes[i].receivedAtMillis(), now)) {
                            again.add(i);
                            listener.retried(queue.name(), re.error());
                            Duration b = retry.backoff(attempts[i], re.retryAfter());
                            if (b.compareTo(wait) > 0) wait = b;
                            if (attempts[i] == 1 || attempts[i] % 10 == 0) {
                                log.warn("sink '{}': delivery of '{}' failed (attempt {}), retrying in {}: {}", queue.name(),
                                        envelopes[i].topic(), attempts[i], Values.formatDuration(b), re.error());
                            }
                        } else {
                            deadLetter(records.get(i), firstFailure[i], re.error(), attempts[i], Instant.now());
                        }
                    }
                }
            }
            if (delivered > 0) listener.delivered(queue.name(), delivered, nanos);
            pending = again;
            retrying = true;
            if (!pending.isEmpty()) pause(wait);
        }
        return true;
    }

    private void pause(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (running && !draining && System.nanoTime() < until) {
            TimeUnit.NANOSECONDS.sleep(Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    private void deadLetter(QueueRecord record, Instant first, String error, int attempts, Instant last) throws InterruptedException {
        try {
            queue.deadLetters().add(record.payload(), record.offset(), error, attempts, first == null ? last : first, last).get();
        } catch (java.util.concurrent.ExecutionException e) {
            // Not durable in the DLQ: keep the record uncommitted by stopping; it is retried after a restart.
            throw new IllegalStateException("sink '" + queue.name() + "': could not dead-letter offset " + record.offset()
                    + ": " + e.getCause(), e.getCause());
        }
        listener.deadLettered(queue.name(), error);
        log.warn("sink '{}': offset {} dead-lettered after {} attempt(s): {}", queue.name(), record.offset(), attempts, error);
    }

    /**
     * Stops the worker: when {@code drain} is true it first delivers what is queued while the sink accepts it, up to
     * the deadline, and stops at the first delivery that would be retried; what is not delivered stays in the queue
     * for the next start.
     *
     * @return true if the worker finished within the timeout
     */
    public boolean stop(boolean drain, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (drain) {
            draining = true;
            long remaining = deadline - System.nanoTime();
            if (stopped.await(Math.max(0, remaining), TimeUnit.NANOSECONDS)) return true;
        }
        running = false;
        long remaining = deadline - System.nanoTime();
        boolean done = stopped.await(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        if (!done) {
            thread.interrupt();
            done = stopped.await(1, TimeUnit.SECONDS);
        }
        return done;
    }

    @Override
    public void close() {
        try {
            stop(false, Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
