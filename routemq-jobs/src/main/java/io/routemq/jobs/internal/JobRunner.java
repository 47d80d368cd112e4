package io.routemq.jobs.internal;

import io.routemq.jobs.Job;
import io.routemq.jobs.JobFactory;
import io.routemq.jobs.JobOptions;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.Reservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** Runs one reserved job: decode, handle with a timeout, then complete, retry after the backoff, or fail. */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger("io.routemq.jobs");

    /** What became of a job. */
    public enum Result { COMPLETED, RETRIED, FAILED, RELEASED }

    private final JobStore store;
    private final JobCodec codec;
    private final JobFactory factory;
    private final ClassLoader loader;

    /** A runner over a store. */
    public JobRunner(JobStore store, JobCodec codec, JobFactory factory, ClassLoader loader) {
        this.store = store;
        this.codec = codec;
        this.factory = factory;
        this.loader = loader;
    }

    /** Runs the job on the calling thread. */
    public Result run(Reservation r, ScheduledExecutorService timer, BooleanSupplier stopping) {
        Job job;
        String type = codec.typeOf(r.raw());
        try {
            job = decode(r.raw());
        } catch (Exception e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            log.error("job {} on queue '{}' cannot be run and goes to the failed jobs: {}", r.id(), r.queue(), reason);
            store.fail(r, type, reason);
            return Result.FAILED;
        }
        JobOptions options = job.options();
        Thread self = Thread.currentThread();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            timedOut.set(true);
            self.interrupt();
        }, options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        Throwable error = null;
        try {
            job.handle();
        } catch (Throwable t) {
            error = t;
        } finally {
            timeout.cancel(false);
            Thread.interrupted();
        }
        if (error == null) {
            store.complete(r);
            return Result.COMPLETED;
        }
        if (timedOut.get()) {
            error = new java.util.concurrent.TimeoutException("timed out after " + options.timeout() + " (" + error + ")");
        } else if (stopping.getAsBoolean() && error instanceof InterruptedException) {
            store.release(r, Instant.now(), false);
            return Result.RELEASED;
        }
        if (error instanceof VirtualMachineError vme && !(vme instanceof OutOfMemoryError || vme instanceof StackOverflowError)) {
            throw vme;
        }
        String reason = error.getMessage() != null ? error.getClass().getSimpleName() + ": " + error.getMessage() : error.toString();
        if (r.attempts() < options.maxAttempts()) {
            Instant at = Instant.now().plus(options.backoff().delay(r.attempts()));
            log.warn("job {} ({}) attempt {}/{} failed, retrying at {}: {}", r.id(), type, r.attempts(), options.maxAttempts(), at, reason);
            store.release(r, at, true);
            return Result.RETRIED;
        }
        log.error("job {} ({}) failed for good after {} attempt(s): {}", r.id(), type, r.attempts(), reason, error);
        try {
            job.failed(error);
        } catch (Throwable t) {
            log.warn("job {} ({}): its failed() hook threw: {}", r.id(), type, t.toString());
        }
        store.fail(r, type, reason);
        return Result.FAILED;
    }

    private Job decode(String raw) throws Exception {
        JobCodec.Stored s = codec.read(raw);
        Class<?> c;
        try {
            c = Class.forName(s.type(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("unknown job type '" + s.type() + "' (no such class in this application)");
        }
        if (!Job.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("type '" + s.type() + "' is not a job");
        }
        Job job;
        try {
            job = factory.create(c.asSubclass(Job.class), s.data(), codec.mapper());
        } catch (Exception e) {
            throw new IllegalArgumentException("job of type '" + s.type() + "' cannot be decoded: "
                    + (e instanceof tools.jackson.core.JacksonException je ? je.getOriginalMessage() : e.toString()), e);
        }
        if (job == null) throw new IllegalArgumentException("the job factory made nothing of type '" + s.type() + "'");
        if (s.version() > job.options().version()) {
            throw new IllegalArgumentException("job of type '" + s.type() + "' was stored as version " + s.version()
                    + ", newer than this application's version " + job.options().version());
        }
        return job;
    }
}
