package io.routemq.server.app;

import io.routemq.jobs.FailedJob;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.QueueStats;
import io.routemq.jobs.Reservation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The job store of an app built to be checked ({@code routemq check}, {@code routemq routes}): it opens nothing (no
 * {@code data/jobs} directory, no connection), so a component may take {@code Jobs}, and it refuses every use with
 * a message saying why.
 */
final class CheckOnlyJobStore implements JobStore {
    private final String driver;

    /** @param driver the configured driver's name, for {@link #driver()} */
    CheckOnlyJobStore(String driver) {
        this.driver = driver;
    }

    private IllegalStateException refused() {
        return new IllegalStateException("routemq check and routes build the app without opening its job store (the "
                + driver + " driver): a component dispatched a job while it was being built; dispatch from handlers");
    }

    @Override
    public String driver() {
        return driver;
    }

    @Override
    public CompletableFuture<Void> push(String id, String queue, String raw, Instant availableAt) {
        return CompletableFuture.failedFuture(refused());
    }

    @Override
    public List<Reservation> reserve(String queue, int max, Duration lease, Duration wait) {
        throw refused();
    }

    @Override
    public void extend(List<Reservation> running, Duration lease) {
        throw refused();
    }

    @Override
    public void complete(Reservation job) {
        throw refused();
    }

    @Override
    public void release(Reservation job, Instant availableAt, boolean countAttempt) {
        throw refused();
    }

    @Override
    public void fail(Reservation job, String type, String reason) {
        throw refused();
    }

    @Override
    public List<FailedJob> failed(int limit) {
        throw refused();
    }

    @Override
    public boolean retry(String id) {
        throw refused();
    }

    @Override
    public int retryAll() {
        throw refused();
    }

    @Override
    public boolean forget(String id) {
        throw refused();
    }

    @Override
    public int flush() {
        throw refused();
    }

    @Override
    public List<QueueStats> stats(List<String> queues) {
        throw refused();
    }

    @Override
    public void close() {
    }
}
