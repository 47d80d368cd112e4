package io.routemq.middleware.internal;

import io.routemq.middleware.RateLimitConfig;

import java.util.function.LongSupplier;

/**
 * A rate limit kept in this process: one small state per key (a window count, or a token count and when it was
 * last refilled), at most {@code maxKeys} of them, the least recently used forgotten first.
 */
public final class LocalLimiter implements Limiter {
    private static final long MILLI = 1_000_000L;

    private final RateLimitConfig config;
    private final LongSupplier clock;
    private final long origin;
    private final long periodNanos;
    private final Lru<String, State> states;

    /** @param config the limit @param clock a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    public LocalLimiter(RateLimitConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.origin = clock.getAsLong();
        this.periodNanos = config.period().toNanos();
        this.states = new Lru<>(config.maxKeys());
    }

    @Override
    public long acquire(String key) {
        State s;
        synchronized (states) {
            s = states.get(key);
            if (s == null) {
                s = switch (config.algorithm()) {
                    case FIXED_WINDOW -> new Fixed();
                    case SLIDING_WINDOW -> new Sliding();
                    case TOKEN_BUCKET -> new Bucket();
                };
                states.put(key, s);
            }
        }
        long now = clock.getAsLong() - origin;
        synchronized (s) {
            long waitNanos = s.acquire(now);
            return waitNanos <= 0 ? 0 : Math.max(1, (waitNanos + MILLI - 1) / MILLI);
        }
    }

    /** @return how many keys are remembered now */
    public int keys() {
        synchronized (states) {
            return states.size();
        }
    }

    private interface State {
        /** @return 0 when taken, else nanoseconds to wait */
        long acquire(long now);
    }

    private final class Fixed implements State {
        private long start = Long.MIN_VALUE;
        private long count;

        @Override
        public long acquire(long now) {
            if (start == Long.MIN_VALUE || now - start >= periodNanos) {
                start = now;
                count = 0;
            }
            if (count < config.limit()) {
                count++;
                return 0;
            }
            return start + periodNanos - now;
        }
    }

    private final class Sliding implements State {
        private long window = Long.MIN_VALUE;
        private long current;
        private long previous;

        @Override
        public long acquire(long now) {
            long w = Math.floorDiv(now, periodNanos);
            if (w != window) {
                previous = w == window + 1 ? current : 0;
                current = 0;
                window = w;
            }
            long elapsed = now - w * periodNanos;
            double estimate = previous * (double) (periodNanos - elapsed) / periodNanos + current;
            long limit = config.limit();
            if (estimate + 1 <= limit) {
                current++;
                return 0;
            }
            if (current + 1 > limit || previous == 0) return periodNanos - elapsed;
            // the previous window's weight falls until previous * (1 - (elapsed + wait) / period) + current + 1 <= limit
            double wait = periodNanos * (1 - (double) (limit - current - 1) / previous) - elapsed;
            return Math.max(MILLI, (long) Math.ceil(wait));
        }
    }

    private final class Bucket implements State {
        private double tokens = config.burst();
        private long last = Long.MIN_VALUE;

        @Override
        public long acquire(long now) {
            double perNano = config.limit() / (double) periodNanos;
            if (last != Long.MIN_VALUE) tokens = Math.min(config.burst(), tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
