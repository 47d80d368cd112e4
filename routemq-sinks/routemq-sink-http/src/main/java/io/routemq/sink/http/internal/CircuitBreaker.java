package io.routemq.sink.http.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A per-URL circuit breaker: closed until {@code threshold} consecutive failures, then open for {@code openFor};
 * then half-open, letting exactly one trial call through: its success closes the breaker, its failure opens it again.
 * <p>Written by hand rather than taken from resilience4j: the semantics we need ("N consecutive failures", one trial)
 * are a dozen lines, its count-based window only approximates them, and the sink stays free of extra jars.
 *
 * <p>Public only because {@code io.routemq.sink.http.HttpSink}, in this module, reads its state (through
 * {@link Endpoint}); not API: other modules must not use it.
 */
public final class CircuitBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

    /** The breaker state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final String label;
    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoClock;

    private State state = State.CLOSED;
    private int consecutive;
    private long openedAt;
    private boolean trialInFlight;
    private String lastError = "";

    /**
     * @param label     what it guards, for logs (a credential-free URL)
     * @param threshold consecutive failures that open it; 0 = never opens
     * @param openFor   how long it stays open
     * @param nanoClock a monotonic clock in nanoseconds
     */
    public CircuitBreaker(String label, int threshold, Duration openFor, LongSupplier nanoClock) {
        this.label = label;
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A refusal: why and how long until the next trial. */
    public record Refusal(String reason, Duration retryAfter) {
    }

    /** Asks to make a call: null if allowed (then report with success/failure/abandon), else why not. */
    public synchronized Refusal tryAcquire() {
        if (threshold == 0 || state == State.CLOSED) return null;
        long now = nanoClock.getAsLong();
        if (state == State.OPEN) {
            long left = openedAt + openForNanos - now;
            if (left > 0) {
                Duration d = Duration.ofNanos(left);
                return new Refusal("circuit breaker open for " + label + " after " + consecutive + " consecutive failures (last: "
                        + lastError + "); next trial in " + Durations.text(d), d);
            }
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        if (trialInFlight) {
            return new Refusal("circuit breaker half-open for " + label + ": a trial request is in flight (last failure: "
                    + lastError + ")", null);
        }
        trialInFlight = true;
        return null;
    }

    /** The allowed call succeeded (the endpoint answered, even with a permanent 4xx). */
    public synchronized void onSuccess() {
        consecutive = 0;
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            trialInFlight = false;
            LOG.info("circuit breaker for {} closed: the trial request succeeded", label);
        }
    }

    /** The allowed call failed in a retryable way. */
    public synchronized void onFailure(String error) {
        lastError = error;
        if (threshold == 0) return;
        consecutive++;
        if (state == State.HALF_OPEN) {
            open();
            LOG.warn("circuit breaker for {} opened again: the trial request failed: {}", label, error);
        } else if (state == State.CLOSED && consecutive >= threshold) {
            open();
            LOG.warn("circuit breaker for {} opened after {} consecutive failures (last: {}); next trial in {}",
                    label, consecutive, error, Durations.text(Duration.ofNanos(openForNanos)));
        }
    }

    /** The allowed call ended without a verdict (interrupted). */
    public synchronized void abandon() {
        if (state == State.HALF_OPEN) trialInFlight = false;
    }

    /** The current state (for tests and status pages). */
    public synchronized State state() {
        if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= openForNanos) return State.HALF_OPEN;
        return state;
    }

    private void open() {
        state = State.OPEN;
        openedAt = nanoClock.getAsLong();
        trialInFlight = false;
    }
}
