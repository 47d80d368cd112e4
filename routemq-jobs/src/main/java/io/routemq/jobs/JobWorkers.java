package io.routemq.jobs;

import io.routemq.jobs.internal.JobCodec;
import io.routemq.jobs.internal.JobRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The workers of one process: for each queue, one fetcher reserves as many jobs as the queue's concurrency leaves
 * room for, and runs each on its own virtual thread. A running job's lease is renewed every third of the lease.
 *
 * <p>{@link #shutdown} stops reserving, waits up to the timeout for the running jobs, then interrupts those still
 * running and releases them to their queue unrun (not counted as an attempt), so that another worker takes them.
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

    private final JobStore store;
    private final JobsConfig config;
    private final Map<String, Integer> queues;
    private final JobRunner runner;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, Semaphore> slots = new LinkedHashMap<>();
    private final Map<Reservation, Thread> running = new ConcurrentHashMap<>();
    private final List<Thread> fetchers = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private final LongAdder completed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private boolean started;

    /** Workers for the queues of the config (or {@code queues} when not null), with the default factory and mapper. */
    public JobWorkers(JobStore store, JobsConfig config, Map<String, Integer> queues) {
        this(store, config, queues, JobFactory.DEFAULT, JobCodec.defaultMapper());
    }

    /** Workers with a job factory (dependency injection) and the default mapper. */
    public JobWorkers(JobStore store, JobsConfig config, Map<String, Integer> queues, JobFactory factory) {
        this(store, config, queues, factory, JobCodec.defaultMapper());
    }

    /**
     * @param queues  the queues and their concurrency; null: the config's
     * @param factory makes jobs from their JSON (dependency injection plugs in here)
     * @param json    the mapper the jobs were written with
     */
    public JobWorkers(JobStore store, JobsConfig config, Map<String, Integer> queues, JobFactory factory, ObjectMapper json) {
        this(store, config, queues, factory, json, JobWorkers.class.getClassLoader());
    }

    /** Workers with a job factory and the default mapper, whose job classes are loaded by {@code loader}. */
    public JobWorkers(JobStore store, JobsConfig config, Map<String, Integer> queues, JobFactory factory, ClassLoader loader) {
        this(store, config, queues, factory, JobCodec.defaultMapper(), loader);
    }

    /**
     * Workers whose job classes are loaded by {@code loader} (an application's class loader, when the jobs are not on
     * the class path of this module).
     *
     * @param queues  the queues and their concurrency; null: the config's
     * @param factory makes jobs from their JSON (dependency injection plugs in here)
     * @param json    the mapper the jobs were written with
     * @param loader  loads the stored jobs' classes
     */
    public JobWorkers(JobStore store, JobsConfig config, Map<String, Integer> queues, JobFactory factory, ObjectMapper json,
                      ClassLoader loader) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.queues = Map.copyOf(queues != null ? queues : config.queues());
        this.runner = new JobRunner(store, new JobCodec(json), Objects.requireNonNull(factory, "factory"),
                Objects.requireNonNull(loader, "loader"));
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("routemq-jobs-timer").factory());
    }

    /** Starts the fetchers and the lease renewal. */
    public synchronized JobWorkers start() {
        if (started) return this;
        started = true;
        for (Map.Entry<String, Integer> q : queues.entrySet()) {
            Semaphore s = new Semaphore(q.getValue());
            slots.put(q.getKey(), s);
            fetchers.add(Thread.ofVirtual().name("routemq-jobs-fetch-" + q.getKey()).start(() -> fetch(q.getKey(), s)));
        }
        long every = Math.max(100, config.lease().toMillis() / 3);
        timer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        log.info("jobs: {} worker(s) on {} ({} driver)", queues.values().stream().mapToInt(i -> i).sum(), queues, store.driver());
        return this;
    }

    private void fetch(String queue, Semaphore free) {
        while (!stopping.get()) {
            try {
                // wait for a free slot, but look at the stop flag every poll interval
                if (!free.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) continue;
                int n = 1 + free.drainPermits();
                List<Reservation> got;
                try {
                    got = stopping.get() ? List.of() : store.reserve(queue, n, config.lease(), config.pollInterval());
                } catch (RuntimeException e) {
                    free.release(n);
                    log.warn("jobs: cannot reserve jobs of queue '{}' ({} driver): {}; trying again", queue, store.driver(), e.toString());
                    Thread.sleep(config.pollInterval().toMillis());
                    continue;
                }
                free.release(n - got.size());
                for (Reservation r : got) {
                    Thread t = Thread.ofVirtual().name("routemq-job-" + queue).unstarted(() -> {
                        try {
                            run(r);
                        } finally {
                            running.remove(r);
                            free.release();
                        }
                    });
                    running.put(r, t);
                    t.start();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(Reservation r) {
        try {
            switch (runner.run(r, timer, stopping::get)) {
                case COMPLETED -> completed.increment();
                case RETRIED -> retried.increment();
                case FAILED -> failed.increment();
                case RELEASED -> { }
            }
        } catch (RuntimeException e) {
            log.warn("jobs: job {} on queue '{}' ran, but the {} store could not record its outcome: {}; it runs again after its lease",
                    r.id(), r.queue(), store.driver(), e.toString());
        }
    }

    private void renew() {
        if (running.isEmpty()) return;
        try {
            store.extend(List.copyOf(running.keySet()), config.lease());
        } catch (RuntimeException e) {
            log.warn("jobs: cannot renew the leases of {} running job(s): {}", running.size(), e.toString());
        }
    }

    /** Jobs completed, retried (a failed attempt put back) and failed for good by these workers. */
    public long completed() {
        return completed.sum();
    }

    /** Failed attempts put back for a retry. */
    public long retried() {
        return retried.sum();
    }

    /** Jobs moved to the failed jobs. */
    public long failed() {
        return failed.sum();
    }

    /** Jobs running now. */
    public int running() {
        return running.size();
    }

    /**
     * Stops: no more reservations; waits up to {@code timeout} for running jobs, then interrupts the rest and
     * releases them unrun.
     *
     * @return true when every running job finished in time
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        if (!stopping.compareAndSet(false, true)) return running.isEmpty();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread f : fetchers) f.join(Math.max(1, config.pollInterval().toMillis() * 2 + 1000));
        while (!running.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        boolean all = running.isEmpty();
        if (!all) {
            log.warn("jobs: {} job(s) still running after {}; interrupting them and releasing them to their queue", running.size(), timeout);
            for (Thread t : running.values()) t.interrupt();
            long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!running.isEmpty() && System.nanoTime() < grace) Thread.sleep(10);
            for (Reservation r : List.copyOf(running.keySet())) {
                // a job that ignores the interrupt: release it anyway, so another worker can run it
                try {
                    store.release(r, Instant.now(), false);
                } catch (RuntimeException e) {
                    log.warn("jobs: cannot release job {}: {}; it returns after its lease", r.id(), e.toString());
                }
            }
        }
        timer.shutdownNow();
        return all;
    }

    /** {@link #shutdown} with the config's shutdown timeout. */
    @Override
    public void close() {
        try {
            shutdown(config.shutdownTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
