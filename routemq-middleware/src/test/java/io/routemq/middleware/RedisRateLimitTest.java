package io.routemq.middleware;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.routemq.core.Outcome;
import io.routemq.middleware.internal.RedisGuard;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.routemq.core.Outcome.FILTERED;
import static io.routemq.core.Outcome.HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Redis-backed rate limit: against the machine's Redis, and through an outage of a Redis the test starts and kills. */
class RedisRateLimitTest {
    private static RedisConnections redis;

    @BeforeAll
    static void open() {
        redis = RedisConnections.open(RedisConfig.defaults());
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    private static List<Outcome> sendN(Pipeline p, String topic, int n) throws Exception {
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(p.send(topic, "m" + i));
        return out;
    }

    @Test
    void twoLimitersSharingRedisShareTheLimitForEachAlgorithm() throws Exception {
        RedisProcess.assumeLocalRedis();
        for (var algorithm : RateLimitConfig.Algorithm.values()) {
            String scope = "test-" + UUID.randomUUID();
            RateLimitConfig config = (switch (algorithm) {
                case FIXED_WINDOW -> RateLimitConfig.fixedWindow(3, Duration.ofHours(1));
                case SLIDING_WINDOW -> RateLimitConfig.slidingWindow(3, Duration.ofHours(1));
                case TOKEN_BUCKET -> RateLimitConfig.tokenBucket(1, Duration.ofHours(1)).burst(3);
            }).key(KeySource.param("id")).store(Store.REDIS).scope(scope).build();
            MiddlewareCounters counters = new MiddlewareCounters();
            // two instances: what two gateway processes would hold
            RateLimit one = RateLimit.of(config, () -> redis, counters);
            RateLimit two = RateLimit.of(config, () -> redis, counters);
            try (Pipeline p1 = new Pipeline((r, h) -> r.on("dev/{id}", h).middleware(one));
                 Pipeline p2 = new Pipeline((r, h) -> r.on("dev/{id}", h).middleware(two))) {
                assertThat(sendN(p1, "dev/a", 2)).as(algorithm.key()).containsExactly(HANDLED, HANDLED);
                assertThat(sendN(p2, "dev/a", 2)).as(algorithm.key()).containsExactly(HANDLED, FILTERED);
                assertThat(sendN(p1, "dev/a", 1)).as(algorithm.key()).containsExactly(FILTERED);
                assertThat(sendN(p2, "dev/b", 1)).as(algorithm.key()).containsExactly(HANDLED);
                assertThat(counters.count("rateLimit", "dropped")).isEqualTo(2);
                assertThat(counters.count("rateLimit", "redis_fallback")).isZero();
                assertThat(redis.shared().sync().keys("routemq:ratelimit:" + scope + ":*")).hasSize(2);
                assertThat(redis.shared().sync().pttl("routemq:ratelimit:" + scope + ":a")).as("keys expire").isPositive();
            } finally {
                List<String> keys = redis.shared().sync().keys("routemq:ratelimit:" + scope + ":*");
                if (!keys.isEmpty()) redis.shared().sync().del(keys.toArray(String[]::new));
            }
        }
    }

    @Test
    void redisOutageFallsBackToLocalWithAWarnAndAMetricThenReturnsToRedis() throws Exception {
        ListAppender<ILoggingEvent> logs = Pipeline.capture(RedisGuard.class, Level.INFO);
        try (RedisProcess server = RedisProcess.start();
             RedisConnections own = RedisConnections.open(RedisConfig.builder(server.uri()).connectTimeout(Duration.ofSeconds(1)).build())) {
            MiddlewareCounters counters = new MiddlewareCounters();
            RateLimit limit = RateLimit.of(RateLimitConfig.fixedWindow(3, Duration.ofHours(1)).key(KeySource.param("id"))
                    .store(Store.REDIS).scope("outage").redisRetry(Duration.ofMillis(100)).build(), () -> own, counters);
            try (Pipeline p = new Pipeline((r, h) -> r.on("dev/{id}", h).middleware(limit))) {
                // Redis up: counted in Redis
                assertThat(sendN(p, "dev/a", 4)).containsExactly(HANDLED, HANDLED, HANDLED, FILTERED);
                assertThat(own.shared().sync().get("routemq:ratelimit:outage:a")).isEqualTo("4");

                // Redis killed: the limit goes on in this process, from zero, still limiting
                server.kill();
                assertThat(sendN(p, "dev/b", 5)).containsExactly(HANDLED, HANDLED, HANDLED, FILTERED, FILTERED);
                assertThat(limit.fallingBack()).isTrue();
                assertThat(counters.count("rateLimit", "redis_fallback")).isEqualTo(5);
                assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1).first()
                        .extracting(ILoggingEvent::getFormattedMessage).asString()
                        .contains("rateLimit: Redis redis://127.0.0.1:" + server.port + " is unreachable")
                        .contains("working in this process until it answers again");

                // Redis back (empty, without the script): the limit returns to it (EVALSHA misses, EVAL loads the script)
                server.startAgain();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    p.send("dev/c", "probe");
                    return !limit.fallingBack();
                });
                long fallbacks = counters.count("rateLimit", "redis_fallback");
                assertThat(sendN(p, "dev/d", 4)).containsExactly(HANDLED, HANDLED, HANDLED, FILTERED);
                assertThat(own.shared().sync().get("routemq:ratelimit:outage:d")).isEqualTo("4");
                assertThat(counters.count("rateLimit", "redis_fallback")).isEqualTo(fallbacks);
                assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("answers again"));
            }
        } finally {
            Pipeline.release(RedisGuard.class, logs);
        }
    }
}
