package io.routemq.middleware.internal;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.routemq.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a middleware's Redis calls with a deadline, and tells it when to work locally instead: after a call fails or
 * times out, Redis is left alone for {@code retry}, then one call at a time probes it again. The first failure of an
 * outage is logged at WARN (at most one line per 10 s, however often Redis flaps), the return at INFO. Nothing
 * here blocks longer than {@code timeout}, except the probe that opens the connection (up to the connect timeout).
 */
public final class RedisGuard {
    private static final Logger log = LoggerFactory.getLogger(RedisGuard.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String middleware;
    private final Supplier<RedisConnections> redis;
    private final long timeoutNanos;
    private final long retryNanos;
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AtomicLong localCalls = new AtomicLong();
    private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - 2 * WARN_EVERY_NANOS);
    private volatile boolean down;
    private volatile long downAt;
    private StatefulRedisConnection<String, String> connection;
    private String where = "Redis";

    /**
     * @param middleware the middleware's name, for the log lines
     * @param redis      the connections, asked for on first use
     * @param timeout    how long one call may take
     * @param retry      how long to stay local after a failure
     */
    public RedisGuard(String middleware, Supplier<RedisConnections> redis, Duration timeout, Duration retry) {
        this.middleware = middleware;
        this.redis = Objects.requireNonNull(redis, "redis");
        this.timeoutNanos = timeout.toNanos();
        this.retryNanos = retry.toNanos();
    }

    /** A Redis answer, or none when the caller must work locally. */
    public record Reply<T>(boolean ok, T value) {
        static final Reply<?> UNAVAILABLE = new Reply<>(false, null);

        @SuppressWarnings("unchecked")
        static <T> Reply<T> unavailable() {
            return (Reply<T>) UNAVAILABLE;
        }
    }

    /**
     * @param call the Redis call
     * @return its answer, or {@code ok == false} when Redis is unavailable (the call failed, timed out, or Redis is
     *         in its retry pause)
     */
    public <T> Reply<T> call(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> call) {
        boolean probe = false;
        if (down) {
            if (System.nanoTime() - downAt < retryNanos || !probing.compareAndSet(false, true)) {
                localCalls.incrementAndGet();
                return Reply.unavailable();
            }
            probe = true;
        }
        try {
            StatefulRedisConnection<String, String> c = connection();
            if (!c.isOpen()) throw new RedisConnectionException("the connection is lost (reconnecting)");
            T value = call.apply(c.async()).toCompletableFuture().get(timeoutNanos, TimeUnit.NANOSECONDS);
            if (down) {
                down = false;
                log.info("{}: {} answers again; using it again after {} message(s) handled in this process", middleware, where,
                        localCalls.getAndSet(0));
            }
            return new Reply<>(true, value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(e);
        } catch (ExecutionException e) {
            failed(e.getCause() != null ? e.getCause() : e);
        } catch (Exception e) {
            failed(e);
        } finally {
            if (probe) probing.set(false);
        }
        localCalls.incrementAndGet();
        return Reply.unavailable();
    }

    /** @return true while Redis is considered unreachable */
    public boolean down() {
        return down;
    }

    private synchronized StatefulRedisConnection<String, String> connection() {
        if (connection == null) {
            RedisConnections r = redis.get();
            where = "Redis " + r.config().redactedUri();
            connection = r.shared();
        }
        return connection;
    }

    private void failed(Throwable e) {
        downAt = System.nanoTime();
        boolean first = !down;
        down = true;
        long now = System.nanoTime();
        long last = lastWarn.get();
        if (first && now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
            String why = e instanceof java.util.concurrent.TimeoutException ? "no answer within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms" : String.valueOf(e.getMessage() != null ? e.getMessage() : e);
            log.warn("{}: {} is unreachable ({}); working in this process until it answers again (retrying every {}ms)",
                    middleware, where, why, TimeUnit.NANOSECONDS.toMillis(retryNanos));
        }
    }
}
