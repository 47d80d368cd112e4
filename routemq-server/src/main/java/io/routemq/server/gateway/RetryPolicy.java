package io.routemq.server.gateway;

import io.routemq.core.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * How a sink's delivery worker retries: the project's {@link Backoff} (exponential, jitter spread around the delay),
 * a maximum number of attempts and a maximum age, after which the message goes to the dead-letter queue.
 *
 * @param attempts the most delivery attempts in all; 0 means unlimited
 * @param backoff  the pauses between attempts
 * @param maxAge   how long after receipt a message may still be retried; zero means no limit
 */
public record RetryPolicy(int attempts, Backoff backoff, Duration maxAge) {

    /** Validates the policy. */
    public RetryPolicy {
        if (attempts < 0) throw new IllegalArgumentException("retry attempts must be 0 (unlimited) or more, got " + attempts);
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /**
     * A policy of these values.
     *
     * @param attempts   the most delivery attempts in all; 0 means unlimited
     * @param minBackoff the pause after the first failure
     * @param maxBackoff the longest pause
     * @param multiplier the growth factor between pauses
     * @param jitter     the random share added or removed, 0 to 1
     * @param maxAge     how long after receipt a message may still be retried; zero means no limit
     */
    public RetryPolicy(int attempts, Duration minBackoff, Duration maxBackoff, double multiplier, double jitter, Duration maxAge) {
        this(attempts, backoff(minBackoff, maxBackoff, multiplier, jitter), maxAge);
    }

    private static Backoff backoff(Duration min, Duration max, double multiplier, double jitter) {
        try {
            return new Backoff(min, max, multiplier, jitter, Backoff.Jitter.AROUND);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("retry backoff: " + e.getMessage(), e);
        }
    }

    /** The default: unlimited attempts, 500 ms growing to 1 min, 20% jitter, no age limit. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(0, Duration.ofMillis(500), Duration.ofMinutes(1), 2.0, 0.2, Duration.ZERO);
    }

    /** Whether another attempt is allowed after {@code attemptsMade} attempts on a message received at {@code receivedAtMillis}. */
    public boolean mayRetry(int attemptsMade, long receivedAtMillis, long nowMillis) {
        if (attempts > 0 && attemptsMade >= attempts) return false;
        return maxAge.isZero() || nowMillis - receivedAtMillis < maxAge.toMillis();
    }

    /** The pause before attempt {@code attemptsMade + 1}, at least {@code retryAfter} when the destination asked. */
    public Duration backoff(int attemptsMade, Duration retryAfter) {
        Duration pause = backoff.delay(attemptsMade);
        return retryAfter != null && retryAfter.compareTo(pause) > 0 ? retryAfter : pause;
    }
}
