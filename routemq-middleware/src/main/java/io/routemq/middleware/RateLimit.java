package io.routemq.middleware;

import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import io.routemq.middleware.internal.LocalLimiter;
import io.routemq.middleware.internal.RedisGuard;
import io.routemq.middleware.internal.RedisLimiter;
import io.routemq.redis.RedisConnections;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Limits the rate of messages per key: fixed window, sliding window or token bucket, counted in this process or in
 * Redis (atomic Lua scripts, one round trip per message).
 *
 * <pre>{@code
 * router.middleware(RateLimit.tokenBucket(10, Duration.ofSeconds(1)).burst(50)
 *         .key(KeySource.param("deviceId")).onLimit(RateLimitConfig.OnLimit.DELAY).build());
 * }</pre>
 *
 * <p>Over the limit, a message is either dropped (acknowledged, not handled: FILTERED, counted {@code dropped}) or
 * delayed: the middleware parks the message's virtual thread until the limit lets it through, so the message and its
 * acknowledgement wait (counted {@code delayed}), and the broker holds the backlog. A Redis-backed limit that cannot
 * reach Redis counts in this process instead (WARN, counted {@code redis_fallback} per message) and goes back to
 * Redis when it answers again.
 */
public final class RateLimit implements Middleware {
    /** The name in metrics and configs. */
    public static final String NAME = "rateLimit";
    /** The key messages without a key share. */
    static final String NO_KEY = "\u0000none";

    private final RateLimitConfig config;
    private final MiddlewareMetrics metrics;
    private final LocalLimiter local;
    private final RedisLimiter redisLimiter;
    private final RedisGuard guard;

    private RateLimit(RateLimitConfig config, Supplier<RedisConnections> redis, MiddlewareMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.local = new LocalLimiter(config, System::nanoTime);
        if (config.store() == Store.REDIS) {
            Objects.requireNonNull(redis, "a rateLimit with store: redis needs the Redis connections");
            this.redisLimiter = new RedisLimiter(config);
            this.guard = new RedisGuard(NAME, redis, config.redisTimeout(), config.redisRetry());
        } else {
            this.redisLimiter = null;
            this.guard = null;
        }
    }

    /**
     * @param config the options
     * @param redis  the Redis connections, asked for on first use; only used when {@code config.store()} is REDIS
     * @param metrics where drops, delays and fallbacks are counted
     * @return the middleware
     */
    public static RateLimit of(RateLimitConfig config, Supplier<RedisConnections> redis, MiddlewareMetrics metrics) {
        return new RateLimit(config, redis, metrics);
    }

    /** @param rate tokens per {@code per} @param per the period @return a token bucket builder (burst = rate) */
    public static Builder tokenBucket(long rate, Duration per) {
        return new Builder(RateLimitConfig.tokenBucket(rate, per));
    }

    /** @param limit messages per window @param window the window @return a fixed window builder */
    public static Builder fixedWindow(long limit, Duration window) {
        return new Builder(RateLimitConfig.fixedWindow(limit, window));
    }

    /** @param limit messages per window @param window the window @return a sliding window builder */
    public static Builder slidingWindow(long limit, Duration window) {
        return new Builder(RateLimitConfig.slidingWindow(limit, window));
    }

    /** @return the options */
    public RateLimitConfig config() {
        return config;
    }

    /**
     * True with {@code store: local} and {@code onLimit: drop}; with Redis each message waits for a round trip, and
     * {@code delay} parks the message's thread.
     */
    @Override
    public boolean nonBlocking() {
        return config.nonBlocking();
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        String key = config.key().of(ctx);
        if (key == null) key = NO_KEY;
        long wait = acquire(ctx, key);
        if (wait > 0) {
            if (config.onLimit() == RateLimitConfig.OnLimit.DROP) {
                metrics.record(NAME, ctx, "dropped");
                return;
            }
            metrics.record(NAME, ctx, "delayed");
            do {
                Thread.sleep(wait);
                wait = acquire(ctx, key);
            } while (wait > 0);
        }
        next.proceed(ctx);
    }

    /**
     * Takes a permit for a key without a message: for benchmarks and for code that limits other work.
     *
     * @return 0 when taken, else the milliseconds to wait before trying again
     */
    public long tryAcquire(String key) {
        return acquire(null, key);
    }

    private long acquire(Context ctx, String key) {
        if (guard != null) {
            RedisGuard.Reply<Long> r = guard.call(redis -> redisLimiter.acquire(redis, key));
            if (r.ok()) return r.value() == null ? 0 : r.value();
            if (ctx != null) metrics.record(NAME, ctx, "redis_fallback");
        }
        return local.acquire(key);
    }

    /** @return true while a Redis-backed limit counts locally because Redis is unreachable */
    public boolean fallingBack() {
        return guard != null && guard.down();
    }

    /** Builds a {@link RateLimit} from Java. */
    public static final class Builder {
        private final RateLimitConfig.Builder config;
        private Supplier<RedisConnections> redis;
        private MiddlewareMetrics metrics = MiddlewareMetrics.NONE;

        private Builder(RateLimitConfig.Builder config) {
            this.config = config;
        }

        /** @param burst the token bucket's capacity @return this */
        public Builder burst(long burst) {
            config.burst(burst);
            return this;
        }

        /** @param key what the limit is counted per @return this */
        public Builder key(KeySource key) {
            config.key(key);
            return this;
        }

        /** @param onLimit what happens to a message over the limit @return this */
        public Builder onLimit(RateLimitConfig.OnLimit onLimit) {
            config.onLimit(onLimit);
            return this;
        }

        /** @param maxKeys how many keys the local store remembers @return this */
        public Builder maxKeys(int maxKeys) {
            config.maxKeys(maxKeys);
            return this;
        }

        /** @param scope the name that separates this limit's Redis keys from other limits' @return this */
        public Builder scope(String scope) {
            config.scope(scope);
            return this;
        }

        /** Counts in Redis, with a local fallback. @param redis the connections @return this */
        public Builder redis(RedisConnections redis) {
            Objects.requireNonNull(redis, "redis");
            this.redis = () -> redis;
            config.store(Store.REDIS);
            return this;
        }

        /** @param timeout how long one Redis call may take before falling back (default 250 ms) @return this */
        public Builder redisTimeout(Duration timeout) {
            config.redisTimeout(timeout);
            return this;
        }

        /** @param retry how long to stay local after Redis failed (default 1 s) @return this */
        public Builder redisRetry(Duration retry) {
            config.redisRetry(retry);
            return this;
        }

        /** @param metrics where drops, delays and fallbacks are counted @return this */
        public Builder metrics(MiddlewareMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** @return the middleware */
        public RateLimit build() {
            return new RateLimit(config.build(), redis, metrics);
        }
    }
}
