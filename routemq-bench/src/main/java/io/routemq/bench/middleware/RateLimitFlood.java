package io.routemq.bench.middleware;

import io.routemq.core.Dispatcher;
import io.routemq.core.Message;
import io.routemq.core.Outcome;
import io.routemq.core.Router;
import io.routemq.middleware.KeySource;
import io.routemq.middleware.MiddlewareCounters;
import io.routemq.middleware.RateLimit;
import io.routemq.middleware.RateLimitConfig;
import io.routemq.middleware.Store;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Floods a real Router and Dispatcher whose route has a rate limit on one key, and measures the rate of messages the
 * limit lets through against the configured limit: each algorithm, counted locally and in Redis, dropping and
 * delaying. The offered rate is what two producer threads manage to dispatch (the limit's decision included); with
 * {@code delay} the dispatcher's in-flight limit (4096 here) pushes back on them, so offered falls to the limit.
 *
 * <pre>
 * ./mvnw -q -pl routemq-bench -am package -DskipTests
 * java -cp "routemq-bench/target/classes:$(cat routemq-bench/target/e2e-classpath.txt)" \
 *      io.routemq.bench.middleware.RateLimitFlood [limitPerSecond=1000] [seconds=5] [redisUri=redis://127.0.0.1:6379]
 * </pre>
 */
public final class RateLimitFlood {
    private RateLimitFlood() {
    }

    /** One measured run. */
    record Result(String algorithm, String store, String onLimit, double limit, double offered, double passed, long fallbacks) {
    }

    public static void main(String[] args) throws Exception {
        long limit = args.length > 0 ? Long.parseLong(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String uri = args.length > 2 ? args[2] : RedisConfig.DEFAULT_URI;
        List<Result> results = new ArrayList<>();
        try (RedisConnections redis = RedisConnections.open(RedisConfig.builder(uri).build())) {
            boolean haveRedis = redis.ping();
            if (!haveRedis) System.out.println("no Redis at " + uri + ": the Redis rows are skipped");
            for (Store store : haveRedis ? List.of(Store.LOCAL, Store.REDIS) : List.of(Store.LOCAL)) {
                for (RateLimitConfig.Algorithm a : RateLimitConfig.Algorithm.values()) {
                    results.add(run(a, store, RateLimitConfig.OnLimit.DROP, limit, seconds, redis));
                }
                results.add(run(RateLimitConfig.Algorithm.TOKEN_BUCKET, store, RateLimitConfig.OnLimit.DELAY, limit, seconds, redis));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "| algorithm | store | on limit | configured/s | offered/s | let through/s | through / configured |%n");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %,.1f | %.3f |%n", r.algorithm, r.store, r.onLimit, r.limit,
                    r.offered, r.passed, r.passed / r.limit);
        }
    }

    private static Result run(RateLimitConfig.Algorithm algorithm, Store store, RateLimitConfig.OnLimit onLimit, long limit,
                              int seconds, RedisConnections redis) throws Exception {
        RateLimitConfig.Builder b = switch (algorithm) {
            case TOKEN_BUCKET -> RateLimitConfig.tokenBucket(limit, Duration.ofSeconds(1)).burst(Math.max(1, limit / 10));
            case FIXED_WINDOW -> RateLimitConfig.fixedWindow(limit, Duration.ofSeconds(1));
            case SLIDING_WINDOW -> RateLimitConfig.slidingWindow(limit, Duration.ofSeconds(1));
        };
        String scope = "bench-" + UUID.randomUUID();
        RateLimitConfig config = b.key(KeySource.param("id")).store(store).onLimit(onLimit).scope(scope).build();
        MiddlewareCounters counters = new MiddlewareCounters();
        RateLimit rl = RateLimit.of(config, () -> redis, counters);
        LongAdder passed = new LongAdder();
        LongAdder offered = new LongAdder();
        Router router = Router.create();
        // one key (device "hot"), 64 topics so that 64 lanes run at once
        router.on("flood/{id}/{n}", ctx -> passed.increment()).middleware(rl);
        Dispatcher d = Dispatcher.builder(router.build()).maxInFlight(4096).build();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int id = t;
            producers.add(Thread.ofPlatform().name("flood-" + t).start(() -> {
                byte[] payload = "{\"v\":1}".getBytes();
                long i = id;
                while (!stop.get()) {
                    try {
                        d.dispatch(new Message("default", "flood/hot/" + (i++ % 64), payload, 1, false,
                                io.routemq.core.MessageProperties.NONE), (Outcome o) -> { });
                        offered.increment();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        Thread.sleep(2000); // warm up, and past the burst / first window
        long p0 = passed.sum();
        long o0 = offered.sum();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long p1 = passed.sum();
        long o1 = offered.sum();
        double s = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : producers) t.join();
        d.shutdown(Duration.ofSeconds(30));
        if (store == Store.REDIS) {
            List<String> keys = redis.shared().sync().keys("routemq:ratelimit:" + scope + ":*");
            if (!keys.isEmpty()) redis.shared().sync().del(keys.toArray(String[]::new));
        }
        Result r = new Result(algorithm.key(), store.name().toLowerCase(Locale.ROOT), onLimit.name().toLowerCase(Locale.ROOT),
                config.perSecond(), (o1 - o0) / s, (p1 - p0) / s, counters.count("rateLimit", "redis_fallback"));
        System.out.printf(Locale.ROOT, "%s %s %s: configured %.0f/s, offered %.0f/s, let through %.1f/s, redis fallbacks %d%n",
                r.algorithm, r.store, r.onLimit, r.limit, r.offered, r.passed, r.fallbacks);
        return r;
    }
}
