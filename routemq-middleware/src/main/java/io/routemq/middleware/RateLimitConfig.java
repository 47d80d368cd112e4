package io.routemq.middleware;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of a {@link RateLimit}: the schema of a config route's {@code rateLimit:} middleware. Messages name
 * the key a user writes, so a config loader can place them.
 *
 * @param algorithm    how the limit is counted
 * @param limit        the messages allowed per {@code period}: per window for the windows, the refill rate for the
 *                     token bucket
 * @param period       the window length, or the period of the token bucket's rate
 * @param burst        the token bucket's capacity (default: {@code limit}); must equal {@code limit} for the windows
 * @param key          what the limit is counted per (default {@link KeySource#topic()}); messages without a key
 *                     (a missing user property) share one limit
 * @param store        where the counts live (default {@link Store#LOCAL})
 * @param onLimit      what happens to a message over the limit (default {@link OnLimit#DROP})
 * @param maxKeys      how many keys the local store remembers (default 100,000); the least recently used key is
 *                     forgotten beyond that, which resets its count
 * @param scope        the name that separates this limit's Redis keys from other limits' (default {@code default};
 *                     a config route uses its route name)
 * @param redisTimeout how long one Redis call may take before the limit falls back to local (default 250 ms)
 * @param redisRetry   how long the limit stays local after Redis failed before it tries Redis again (default 1 s)
 */
public record RateLimitConfig(Algorithm algorithm, long limit, Duration period, long burst, KeySource key, Store store,
                              OnLimit onLimit, int maxKeys, String scope, Duration redisTimeout, Duration redisRetry) {

    /** How a rate limit counts. */
    public enum Algorithm {
        /** At most {@code limit} messages per window; the window starts with the key's first message. */
        FIXED_WINDOW("fixedWindow"),
        /**
         * At most about {@code limit} messages in any window-long span: the count of the current window plus the
         * previous window's count weighted by how much of it the span still covers (a sliding window counter, memory
         * O(1) per key).
         */
        SLIDING_WINDOW("slidingWindow"),
        /** Tokens refill at {@code limit} per {@code period} up to {@code burst}; each message takes one. */
        TOKEN_BUCKET("tokenBucket");

        private final String key;

        Algorithm(String key) {
            this.key = key;
        }

        /** @return the key a config writes it as */
        public String key() {
            return key;
        }
    }

    /** What happens to a message over the limit. */
    public enum OnLimit {
        /** Acknowledge it without handling or forwarding it (FILTERED, counted as {@code dropped}). */
        DROP,
        /**
         * Hold it, and its acknowledgement, until the limit lets it through (counted as {@code delayed}): backpressure,
         * not rejection. The wait parks the message's virtual thread; the broker holds the backlog.
         */
        DELAY
    }

    /** Validates; messages name the key as written under {@code rateLimit:}. */
    public RateLimitConfig {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(onLimit, "onLimit");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(redisTimeout, "redisTimeout");
        Objects.requireNonNull(redisRetry, "redisRetry");
        String what = algorithm.key() + (algorithm == Algorithm.TOKEN_BUCKET ? ".rate" : ".limit");
        if (limit < 1) throw new IllegalArgumentException(what + ": must be at least 1, got " + limit);
        if (period.isNegative() || period.toMillis() < 1) {
            throw new IllegalArgumentException(what + ": the period must be at least 1ms, got " + period);
        }
        if (period.toMillis() > Duration.ofDays(1).toMillis()) {
            throw new IllegalArgumentException(what + ": the period must be at most 1d, got " + period);
        }
        if (algorithm == Algorithm.TOKEN_BUCKET) {
            if (burst < 1) throw new IllegalArgumentException("tokenBucket.burst: must be at least 1, got " + burst);
        } else if (burst != limit) {
            throw new IllegalArgumentException(algorithm.key() + ": a window has no burst (its limit is its burst)");
        }
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys: must be at least 1, got " + maxKeys);
        if (scope.isBlank()) throw new IllegalArgumentException("scope: must not be empty");
        if (redisTimeout.isNegative() || redisTimeout.isZero()) {
            throw new IllegalArgumentException("redisTimeout: must be positive, got " + redisTimeout);
        }
        if (redisRetry.isNegative() || redisRetry.isZero()) {
            throw new IllegalArgumentException("redisRetry: must be positive, got " + redisRetry);
        }
    }

    /**
     * @param rate   tokens added per {@code per}
     * @param per    the period of the rate
     * @return a token bucket's options, with a burst of {@code rate}
     */
    public static Builder tokenBucket(long rate, Duration per) {
        return new Builder(Algorithm.TOKEN_BUCKET, rate, per);
    }

    /** @param limit messages per window @param window the window @return a fixed window's options */
    public static Builder fixedWindow(long limit, Duration window) {
        return new Builder(Algorithm.FIXED_WINDOW, limit, window);
    }

    /** @param limit messages per window @param window the window @return a sliding window's options */
    public static Builder slidingWindow(long limit, Duration window) {
        return new Builder(Algorithm.SLIDING_WINDOW, limit, window);
    }

    /** @return the configured rate in messages per second, for logs and benchmarks */
    public double perSecond() {
        return limit * 1000.0 / period.toMillis();
    }

    /** Builds a {@link RateLimitConfig}. */
    public static final class Builder {
        private final Algorithm algorithm;
        private final long limit;
        private final Duration period;
        private Long burst;
        private KeySource key = KeySource.topic();
        private Store store = Store.LOCAL;
        private OnLimit onLimit = OnLimit.DROP;
        private int maxKeys = 100_000;
        private String scope = "default";
        private Duration redisTimeout = Duration.ofMillis(250);
        private Duration redisRetry = Duration.ofSeconds(1);

        private Builder(Algorithm algorithm, long limit, Duration period) {
            this.algorithm = algorithm;
            this.limit = limit;
            this.period = period;
        }

        /** @param burst the token bucket's capacity @return this */
        public Builder burst(long burst) {
            this.burst = burst;
            return this;
        }

        /** @param key what the limit is counted per @return this */
        public Builder key(KeySource key) {
            this.key = key;
            return this;
        }

        /** @param store where the counts live @return this */
        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        /** @param onLimit what happens to a message over the limit @return this */
        public Builder onLimit(OnLimit onLimit) {
            this.onLimit = onLimit;
            return this;
        }

        /** @param maxKeys how many keys the local store remembers @return this */
        public Builder maxKeys(int maxKeys) {
            this.maxKeys = maxKeys;
            return this;
        }

        /** @param scope the name that separates this limit's Redis keys @return this */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** @param timeout how long one Redis call may take @return this */
        public Builder redisTimeout(Duration timeout) {
            this.redisTimeout = timeout;
            return this;
        }

        /** @param retry how long to stay local after Redis failed @return this */
        public Builder redisRetry(Duration retry) {
            this.redisRetry = retry;
            return this;
        }

        /** @return the validated options */
        public RateLimitConfig build() {
            return new RateLimitConfig(algorithm, limit, period, burst != null ? burst : limit, key, store, onLimit,
                    maxKeys, scope, redisTimeout, redisRetry);
        }
    }

    /**
     * Whether a rate limit with these options never blocks its thread: true with {@code store: local} and
     * {@code onLimit: drop}; with Redis each message waits for a round trip, and {@code delay} parks the message's
     * thread. The rule of {@link RateLimit#nonBlocking()} and of {@code routemq check}.
     *
     * @return true when it never blocks
     */
    public boolean nonBlocking() {
        return store == Store.LOCAL && onLimit == OnLimit.DROP;
    }
}
