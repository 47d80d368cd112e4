package io.routemq.jobs;

/**
 * A background job: slow work a handler hands off and a worker runs later, with retries.
 *
 * <p>A job is a record or a class whose state is its JSON form (Jackson): a record's components, or a class's
 * non-transient fields (with a public no-arg constructor). Dependencies it needs at run time (a mailer, a
 * repository) are not part of that state: mark such fields {@code transient} and let a {@link JobFactory} fill
 * them when a worker decodes the job.
 *
 * <pre>{@code
 * public record SendAlert(String truckId, int speedKmh) implements Job {
 *     public void handle() { ... }
 *     public JobOptions options() { return JobOptions.builder().queue("alerts").maxAttempts(5).build(); }
 * }
 * jobs.dispatch(new SendAlert(id, 130)).delay(Duration.ofSeconds(30)).send(ctx);   // ack waits for the store
 * }</pre>
 *
 * Its type name (the class's binary name) and {@link JobOptions#version()} are stored with it: renaming the class
 * makes its stored jobs unknown (they go to the failed jobs, with the reason).
 */
public interface Job {

    /** Runs the job. What it throws is a failed attempt: retried after the backoff, until the attempts run out. */
    void handle() throws Exception;

    /**
     * Called once when the job has failed for good (its attempts are used up, or it cannot be decoded), before it
     * goes to the failed jobs. What this hook throws is logged and ignored.
     */
    default void failed(Throwable cause) {
    }

    /** The job's queue, attempts, backoff, timeout and version (default {@link JobOptions#DEFAULTS}). */
    default JobOptions options() {
        return JobOptions.DEFAULTS;
    }
}
