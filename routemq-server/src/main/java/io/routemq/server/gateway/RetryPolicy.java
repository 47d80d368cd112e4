package io.routemq.server.gateway;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a sink's delivery worker retries: exponential backoff with jitter, a maximum number of attempts and a
 * maximum age, after which the message goes to the dead-letter queue.
 *
 * @param attempts   the most delivery attempts in all; 0 means unlimited
 * @param minBackoff the pause after the first failure
 * @param maxBackoff the longest pause
 * @param multiplier the growth factor between pauses
 * @param jitter     the random share added or removed, 0 to 1
 * @param maxAge     how long after receipt a message may still be retried; zero means no limit
 */
public record RetryPolicy(int attempts, Duration minBackoff, Duration maxBackoff, double multiplier, double jitter,
                          Duration maxAge) {

    /** Validates the policy. */
    public RetryPolicy {
        if (attempts < 0) throw new IllegalArgumentException("retry attempts must be 0 (unlimited) or more, got " + attempts);
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("retry backoff must satisfy 0 <= min <= max, got " + minBackoff + ".." + maxBackoff);
        }
        if (multiplier < 1) throw new IllegalArgumentException("retry multiplier must be >= 1, got " + multiplier);
        if (jitter < 0 || jitter > 1) throw new IllegalArgumentException("retry jitter must be within 0..1, got " + jitter);
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
        double base = minBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attemptsMade - 1));
        double capped = Math.min(base, maxBackoff.toMillis());
        double spread = capped * jitter;
        long millis = Math.round(capped - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread);
        Duration pause = Duration.ofMillis(Math.max(0, Math.min(millis, maxBackoff.toMillis())));
        return retryAfter != null && retryAfter.compareTo(pause) > 0 ? retryAfter : pause;
    }
}
