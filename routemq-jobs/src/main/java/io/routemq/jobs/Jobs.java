package io.routemq.jobs;

import io.routemq.core.Context;
import io.routemq.jobs.internal.JobCodec;
import tools.jackson.databind.ObjectMapper;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Dispatches background jobs to a {@link JobStore}. Thread-safe; handlers, middleware and jobs share one.
 *
 * <pre>{@code
 * jobs.dispatch(ctx, new SendAlert(truckId, speed));                          // the message's ack waits for the store
 * jobs.dispatch(new Report(day)).delay(Duration.ofMinutes(5)).onQueue("reports").send(ctx);
 * jobs.dispatch(new Cleanup()).send();                                         // from a job or elsewhere: a future
 * }</pre>
 *
 * <p>From a handler or middleware, pass the {@link Context}: the message is then acknowledged only once the job is
 * durably stored (the same rule as a sink append), and not acknowledged (so redelivered) if it could not be
 * stored. A redelivered message may dispatch its job again: jobs are run at least once.
 */
public final class Jobs {
    private final JobStore store;
    private final JobCodec codec;

    /** Jobs on a store, written with the default mapper (records, and classes by their non-transient fields). */
    public Jobs(JobStore store) {
        this(store, JobCodec.defaultMapper());
    }

    /** Jobs on a store, written with this mapper (workers must read them with the same). */
    public Jobs(JobStore store, ObjectMapper json) {
        this.store = Objects.requireNonNull(store, "store");
        this.codec = new JobCodec(Objects.requireNonNull(json, "json"));
    }

    /** Starts a dispatch: set its delay or queue, then {@link PendingDispatch#send send} it. */
    public PendingDispatch dispatch(Job job) {
        return new PendingDispatch(this, Objects.requireNonNull(job, "job"));
    }

    /**
     * Dispatches a job now, on its own queue, as part of a message's outcome: the message's acknowledgement waits
     * until the job is stored.
     *
     * @return the job's id once stored
     */
    public CompletableFuture<String> dispatch(Context ctx, Job job) {
        return dispatch(job).send(ctx);
    }

    /** The store the jobs go to. */
    public JobStore store() {
        return store;
    }

    JobCodec codec() {
        return codec;
    }
}
