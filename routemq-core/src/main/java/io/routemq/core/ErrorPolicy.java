package io.routemq.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What the dispatcher does when a route's chain throws. The {@link ErrorHandler} is told about the final failure
 * in every case.
 *
 * @param attempts how many times the chain is run in all (1 = no retry)
 * @param backoff  the pause before each retry: {@code backoff.delay(n)} after the {@code n}th failed attempt
 * @param acknowledgeOnFailure true to acknowledge the message once the attempts are used up ({@link Outcome#FAILED});
 *                             false to leave it unacknowledged so the broker delivers it again ({@link Outcome#REJECTED})
 */
public record ErrorPolicy(int attempts, Backoff backoff, boolean acknowledgeOnFailure) {

    private static final ErrorPolicy ACK = new ErrorPolicy(1, Backoff.NONE, true);
    private static final ErrorPolicy REDELIVER = new ErrorPolicy(1, Backoff.NONE, false);

    /** Validates the policy. */
    public ErrorPolicy {
        if (attempts < 1) throw new IllegalArgumentException("ErrorPolicy attempts must be at least 1, got " + attempts);
        Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * A policy with the same pause between every two attempts.
     *
     * @param attempts             how many times the chain is run in all (1 = no retry)
     * @param pause                the pause between two attempts, not negative
     * @param acknowledgeOnFailure whether to acknowledge once the attempts are used up
     */
    public ErrorPolicy(int attempts, Duration pause, boolean acknowledgeOnFailure) {
        this(attempts, fixed(pause), acknowledgeOnFailure);
    }

    private static Backoff fixed(Duration pause) {
        Objects.requireNonNull(pause, "backoff");
        if (pause.isNegative()) throw new IllegalArgumentException("ErrorPolicy backoff must not be negative, got " + pause);
        return Backoff.fixed(pause);
    }

    /** Whether a retry waits before it runs: more than one attempt, with a backoff that is not zero. */
    public boolean pauses() {
        return attempts > 1 && !backoff.initial().isZero() && !backoff.max().isZero();
    }

    /** The default: log and count the failure, then acknowledge, so one bad message cannot block a topic. */
    public static ErrorPolicy ack() {
        return ACK;
    }

    /** Runs the chain up to {@code attempts} times with {@code backoff} between attempts, then acknowledges as failed. */
    public static ErrorPolicy retry(int attempts, Duration backoff) {
        return new ErrorPolicy(attempts, backoff, true);
    }

    /**
     * Runs the chain up to {@code attempts} times, pausing {@code backoff.delay(n)} after the {@code n}th failure (for
     * example exponentially with jitter), then acknowledges as failed.
     */
    public static ErrorPolicy retry(int attempts, Backoff backoff) {
        return new ErrorPolicy(attempts, backoff, true);
    }

    /**
     * Leaves a failed message unacknowledged so that the broker redelivers it (when the session resumes). Use it
     * where losing a message is worse than seeing it again, such as a durable enqueue that failed.
     */
    public static ErrorPolicy redeliver() {
        return REDELIVER;
    }
}
