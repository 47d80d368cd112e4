package io.routemq.middleware;

import io.lettuce.core.SetArgs;
import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import io.routemq.middleware.internal.LocalSeen;
import io.routemq.middleware.internal.RedisGuard;
import io.routemq.redis.RedisConnections;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Lets a message through only the first time its key is seen within the TTL: the key is an MQTT 5 user property (a
 * message id the publisher sets) or a SHA-256 hash of the topic and payload. A duplicate is acknowledged and not
 * handled (FILTERED, counted {@code duplicate}). A message without the user property goes through. Keys are
 * remembered locally (bounded) or in Redis ({@code SET key 1 NX PX ttl}, with a local fallback while Redis is
 * unreachable).
 *
 * <p>A key is remembered when the message goes on; if the rest of the chain throws, it is forgotten again, so a
 * redelivery is not taken for a duplicate. A forwarding route's append happens after the chain: if that append fails
 * (the message is not acknowledged), its redelivery within the TTL is taken for a duplicate.
 */
public final class Dedup implements Middleware {
    /** The name in metrics and configs. */
    public static final String NAME = "dedup";

    private final DedupConfig config;
    private final MiddlewareMetrics metrics;
    private final LocalSeen local;
    private final RedisGuard guard;
    private final String prefix;

    private Dedup(DedupConfig config, Supplier<RedisConnections> redis, MiddlewareMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.local = new LocalSeen(config.maxKeys(), config.ttl().toNanos(), System::nanoTime);
        this.prefix = "routemq:dedup:" + config.scope() + ":";
        if (config.store() == Store.REDIS) {
            Objects.requireNonNull(redis, "a dedup with store: redis needs the Redis connections");
            this.guard = new RedisGuard(NAME, redis, config.redisTimeout(), config.redisRetry());
        } else {
            this.guard = null;
        }
    }

    /**
     * @param config  the options
     * @param redis   the Redis connections, asked for on first use; only used when {@code config.store()} is REDIS
     * @param metrics where duplicates are counted
     * @return the middleware
     */
    public static Dedup of(DedupConfig config, Supplier<RedisConnections> redis, MiddlewareMetrics metrics) {
        return new Dedup(config, redis, metrics);
    }

    /** @param config local options @return the middleware, counting nothing */
    public static Dedup of(DedupConfig config) {
        return new Dedup(config, null, MiddlewareMetrics.NONE);
    }

    /** True with {@code store: local}; with Redis each message waits for a round trip. */
    @Override
    public boolean nonBlocking() {
        return config.nonBlocking();
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        String key = config.userProperty() != null ? ctx.userProperty(config.userProperty()) : hash(ctx);
        if (key == null) {
            next.proceed(ctx);
            return;
        }
        Boolean redisSeen = null;
        if (guard != null) {
            RedisGuard.Reply<String> r = guard.call(redis -> redis.set(prefix + key, "1", SetArgs.Builder.nx().px(config.ttl().toMillis())));
            if (r.ok()) redisSeen = r.value() == null;
            else metrics.record(NAME, ctx, "redis_fallback");
        }
        boolean seen = redisSeen != null ? redisSeen : local.seen(key);
        if (seen) {
            metrics.record(NAME, ctx, "duplicate");
            return;
        }
        try {
            next.proceed(ctx);
        } catch (Exception | Error e) {
            if (redisSeen != null) guard.call(redis -> redis.del(prefix + key));
            else local.forget(key);
            throw e;
        }
    }

    private static String hash(Context ctx) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ctx.topic().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(ctx.payload());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
