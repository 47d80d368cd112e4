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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Moves one sink's durable queue into the sink: reads a window of records, delivers them, retries the failures with
 * the {@link RetryPolicy}, dead-letters what is refused or out of attempts, then commits the window. A record is
 * committed only once it is delivered or durably dead-lettered, so a crash at any point re-delivers
 * (at-least-once) and never loses. Runs on its own virtual thread.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Sink sink;
    private final DurableQueue queue;
    private final RetryPolicy retry;
    private final SinkListener listener;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile String failure;

    private DeliveryWorker(Sink sink, DurableQueue queue, RetryPolicy retry, SinkListener listener) {
        this.sink = sink;
        this.queue = queue;
        this.retry = retry;
        this.listener = listener;
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

    private void loop() {
        long next = queue.committedOffset() + 1;
        try {
            while (running) {
                if (!queue.awaitRecords(next, Duration.ofMillis(200))) {
                    if (draining) break;
                    continue;
                }
                Duration linger = sink.linger();
                if (!linger.isZero() && queue.nextOffset() - next < sink.maxBatch()) {
                    Thread.sleep(linger);
                }
                List<QueueRecord> records = queue.read(next, sink.maxBatch());
                if (records.isEmpty()) continue;
                if (!deliverWindow(records)) break;
                long last = records.get(records.size() - 1).offset();
                queue.commit(last);
                next = last + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e.toString();
            log.error("delivery worker for sink '{}' stopped on an unexpected error; undelivered messages stay queued "
                    + "and are delivered after a restart: {}", queue.name(), e.toString(), e);
        } finally {
            stopped.countDown();
        }
    }

    /** Delivers a window; returns false when stopped before it was finished (nothing is committed then). */
    private boolean deliverWindow(List<QueueRecord> records) throws InterruptedException {
        int n = records.size();
        List<Integer> pending = new ArrayList<>(n);
        Envelope[] envelopes = new Envelope[n];
        for (int i = 0; i < n; i++) {
            try {
                envelopes[i] = Envelope.decode(records.get(i).payload());
                pending.add(i);
            } catch (IllegalArgumentException e) {
                deadLetter(records.get(i), null, "undecodable queue record: " + e.getMessage(), 0, Instant.now());
            }
        }
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
