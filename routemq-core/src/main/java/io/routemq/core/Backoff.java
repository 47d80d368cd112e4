package io.routemq.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one backoff of RouteMQ: how long to wait before a retry, growing exponentially with optional random jitter.
 * The session's reconnects, the gateway's sink delivery retries, a route's handler retries and background jobs all
 * use it.
 *
 * <p>Attempt {@code n} (from 1; smaller values count as 1) has the base delay
 * {@code min(max, initial * multiplier^(n-1))}. The jitter then moves it by a random share of itself:
 * <ul>
 *   <li>{@link Jitter#UP}: up by 0 to {@code jitter} times the base ({@code jitter = 0.2} adds 0-20%);</li>
 *   <li>{@link Jitter#AROUND}: up or down by at most {@code jitter} times the base ({@code 0.2} gives 80-120%).</li>
 * </ul>
 * The result is never negative and never more than {@code max}. Without jitter the delays never shrink from one
 * attempt to the next.
 *
 * <pre>{@code
 * Backoff b = Backoff.builder().initial(Duration.ofMillis(500)).max(Duration.ofMinutes(1)).multiplier(2).jitter(0.2).build();
 * Duration pause = b.delay(attempt);
 * }</pre>
 *
 * @param initial    the base delay of the first attempt, not negative
 * @param max        the longest delay, at least {@code initial}
 * @param multiplier the growth factor from one attempt to the next, at least 1
 * @param jitter     the random share: 0 to 1 for {@link Jitter#AROUND}, 0 or more for {@link Jitter#UP}
 * @param spread     which way the jitter moves a delay
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter, Jitter spread) {

    /** Which way the jitter moves a delay. */
    public enum Jitter {
        /** Adds 0 to {@code jitter} times the base delay. */
        UP,
        /** Adds or removes up to {@code jitter} times the base delay. */
        AROUND
    }

    /** No pause at all. */
    public static final Backoff NONE = fixed(Duration.ZERO);

    /** Validates the values; messages name the field ({@code initial delay}, {@code max delay}, ...). */
    public Backoff {
        Objects.requireNonNull(initial, "initial delay");
        Objects.requireNonNull(max, "max delay");
        Objects.requireNonNull(spread, "jitter spread");
        if (initial.isNegative()) throw new IllegalArgumentException("initial delay must not be negative, got " + initial);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max delay (" + max + ") must not be less than the initial delay (" + initial + ")");
        }
        try {
            max.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("max delay " + max + " is too long", e);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
        }
        if (!(jitter >= 0.0) || Double.isInfinite(jitter)) throw new IllegalArgumentException("jitter must be at least 0, got " + jitter);
        if (spread == Jitter.AROUND && jitter > 1.0) {
            throw new IllegalArgumentException("jitter must be within 0..1 when it spreads around the delay, got " + jitter);
        }
    }

    /** The same pause before every attempt, without jitter. */
    public static Backoff fixed(Duration pause) {
        return new Backoff(pause, pause, 1.0, 0.0, Jitter.AROUND);
    }

    /** A builder starting from 1s growing by 2 up to 30s, without jitter ({@link Jitter#AROUND} once jitter is set). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this backoff's values. */
    public Builder toBuilder() {
        return new Builder().initial(initial).max(max).multiplier(multiplier).jitter(jitter).spread(spread);
    }

    /** The delay before attempt {@code attempt} (from 1), with jitter from {@link ThreadLocalRandom}. */
    public Duration delay(int attempt) {
        return delay(attempt, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The delay before attempt {@code attempt} (from 1), with jitter from {@code random}.
     *
     * @param random values in [0, 1): 0 gives the lowest delay of the jitter band, values near 1 the highest
     */
    public Duration delay(int attempt, DoubleSupplier random) {
        double maxNanos = max.toNanos();
        double base = Math.min(maxNanos, initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1)));
        if (jitter > 0.0) {
            double r = random.getAsDouble();
            base += spread == Jitter.UP ? base * jitter * r : base * jitter * (2 * r - 1);
        }
        return Duration.ofNanos((long) Math.max(0.0, Math.min(maxNanos, base)));
    }

    /** Builds a {@link Backoff}; every value has a default. */
    public static final class Builder {
        private Duration initial = Duration.ofSeconds(1);
        private Duration max = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private double jitter = 0.0;
        private Jitter spread = Jitter.AROUND;

        private Builder() {
        }

        /** The base delay of the first attempt (default 1s). */
        public Builder initial(Duration initial) {
            this.initial = initial;
            return this;
        }

        /** The longest delay (default 30s). */
        public Builder max(Duration max) {
            this.max = max;
            return this;
        }

        /** The growth factor per attempt, at least 1 (default 2). */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /** The random share (default 0: no jitter); at most 1 for {@link Jitter#AROUND}. */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Which way the jitter moves a delay (default {@link Jitter#AROUND}). */
        public Builder spread(Jitter spread) {
            this.spread = spread;
            return this;
        }

        /**
         * The backoff.
         *
         * @throws IllegalArgumentException naming the value that is out of range
         */
        public Backoff build() {
            return new Backoff(initial, max, multiplier, jitter, spread);
        }
    }
}
