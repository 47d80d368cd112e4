package io.routemq.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where jobs wait and how workers take them: the seam between {@link Jobs}, the workers and a driver (local,
 * redis, database). A stored job is opaque JSON text with an id; its attempts are counted by the store, at
 * {@link #reserve}, so that an attempt whose worker died counts too.
 *
 * <p>Every driver passes the same contract: a pushed job is durable once the future completes; a reserved job is
 * run by one worker at a time until its lease runs out; a job is never run before its time; a job is gone only
 * once completed, or kept as a {@link FailedJob}.
 */
public interface JobStore extends AutoCloseable {

    /** The driver's name, for logs and the CLI: {@code local}, {@code redis}, {@code database}. */
    String driver();

    /**
     * Stores a job. Completes once it is durable in the store; fails when it could not be stored.
     *
     * @param availableAt the earliest time it may run (now or earlier: at once)
     */
    CompletableFuture<Void> push(String id, String queue, String raw, Instant availableAt);

    /**
     * Reserves up to {@code max} jobs of a queue whose time has come, waiting up to {@code wait} for one. A job
     * whose worker's lease ran out is taken over.
     *
     * @return the reserved jobs, empty when none came within {@code wait}
     */
    List<Reservation> reserve(String queue, int max, Duration lease, Duration wait) throws InterruptedException;

    /** Renews the lease of running jobs (workers call it well within the lease). */
    void extend(List<Reservation> running, Duration lease);

    /** The job ran: it is removed. */
    void complete(Reservation job);

    /**
     * Puts a reserved job back to wait until {@code availableAt}: a retry after a failed attempt
     * ({@code countAttempt}), or a job released unrun by a stopping worker (not counted).
     */
    void release(Reservation job, Instant availableAt, boolean countAttempt);

    /** Moves a reserved job to the failed jobs with the reason. */
    void fail(Reservation job, String type, String reason);

    /** The failed jobs, newest first, at most {@code limit}. */
    List<FailedJob> failed(int limit);

    /** Puts a failed job back on its queue with its attempts reset. @return false when there is no such failed job */
    boolean retry(String id);

    /** Puts every failed job back on its queue. @return how many */
    int retryAll();

    /** Deletes a failed job. @return false when there is no such failed job */
    boolean forget(String id);

    /** Deletes every failed job. @return how many */
    int flush();

    /** The counts of these queues (and of any queue with failed jobs). */
    List<QueueStats> stats(List<String> queues);

    /** Releases the store's connections or files. */
    @Override
    void close();
}
