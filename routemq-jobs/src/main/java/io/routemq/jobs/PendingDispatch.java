package io.routemq.jobs;

import io.routemq.core.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One job about to be dispatched: {@link #delay}, {@link #onQueue}, then {@link #send()} or {@link #send(Context)}.
 * Nothing is stored until it is sent. Not thread-safe; use it once.
 */
public final class PendingDispatch {
    private final Jobs jobs;
    private final Job job;
    private Duration delay = Duration.ZERO;
    private String queue;
    private boolean sent;

    PendingDispatch(Jobs jobs, Job job) {
        this.jobs = jobs;
        this.job = job;
    }

    /** Runs the job no earlier than this long after it is sent. */
    public PendingDispatch delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("a job's delay must not be negative, got " + delay);
        this.delay = delay;
        return this;
    }

    /** Puts the job on this queue instead of its {@link JobOptions#queue() own}. */
    public PendingDispatch onQueue(String queue) {
        JobsConfig.checkQueueName(queue, "onQueue");
        this.queue = queue;
        return this;
    }

    /**
     * Stores the job.
     *
     * @return its id, once it is durably stored; a failed future when it could not be (or could not be written as
     *         JSON)
     */
    public CompletableFuture<String> send() {
        if (sent) throw new IllegalStateException("this dispatch was already sent");
        sent = true;
        String q = queue != null ? queue : job.options().queue();
        String raw;
        String id;
        try {
            id = jobs.codec().newId();
            raw = jobs.codec().encode(id, q, job);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> stored;
        try {
            stored = jobs.store().push(id, q, raw, Instant.now().plus(delay));
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.thenApply(v -> id);
    }

    /**
     * Stores the job as part of a message's outcome: the message is acknowledged only once the job is stored
     * ({@link Context#ackAfter}).
     *
     * @return its id, once it is durably stored
     */
    public CompletableFuture<String> send(Context ctx) {
        CompletableFuture<String> f = send();
        ctx.ackAfter(f);
        return f;
    }
}
