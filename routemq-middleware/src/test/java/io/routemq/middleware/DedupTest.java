package io.routemq.middleware;

import io.routemq.core.ErrorPolicy;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.routemq.core.Outcome.FILTERED;
import static io.routemq.core.Outcome.HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dedup through a real Router and Dispatcher, local and in the machine's Redis. */
class DedupTest {

    @Test
    void byUserPropertyWithinTheTtl() throws Exception {
        MiddlewareCounters counters = new MiddlewareCounters();
        Dedup dedup = Dedup.of(DedupConfig.byUserProperty("msgId", Duration.ofMillis(300)), null, counters);
        try (Pipeline p = new Pipeline((r, h) -> r.on("t/#", h).middleware(dedup))) {
            assertThat(p.send("t/1", "a", "msgId", "m1")).isEqualTo(HANDLED);
            assertThat(p.send("t/2", "b", "msgId", "m1")).isEqualTo(FILTERED);
            assertThat(p.send("t/1", "a", "msgId", "m2")).isEqualTo(HANDLED);
            assertThat(p.send("t/1", "a")).as("no id: not deduplicated").isEqualTo(HANDLED);
            assertThat(p.send("t/1", "a")).isEqualTo(HANDLED);
            Thread.sleep(400);
            assertThat(p.send("t/1", "a", "msgId", "m1")).as("after the TTL").isEqualTo(HANDLED);
            assertThat(counters.count("dedup", "duplicate")).isEqualTo(1);
        }
    }

    @Test
    void byPayloadHashOfTopicAndPayload() throws Exception {
        try (Pipeline p = new Pipeline((r, h) -> r.on("t/#", h).middleware(Dedup.of(DedupConfig.byPayload(Duration.ofMinutes(1)))))) {
            assertThat(p.send("t/1", "same")).isEqualTo(HANDLED);
            assertThat(p.send("t/1", "same")).isEqualTo(FILTERED);
            assertThat(p.send("t/2", "same")).as("other topic").isEqualTo(HANDLED);
            assertThat(p.send("t/1", "other")).isEqualTo(HANDLED);
        }
    }

    @Test
    void aFailedHandlerForgetsTheKeySoTheRetryRuns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Pipeline p = new Pipeline((r, h) -> r.on("t/#", ctx -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("first attempt fails");
            h.handle(ctx);
        }).onError(ErrorPolicy.retry(2, Duration.ZERO)).middleware(Dedup.of(DedupConfig.byUserProperty("msgId", Duration.ofMinutes(1)))))) {
            assertThat(p.send("t/1", "a", "msgId", "m1")).isEqualTo(HANDLED);
            assertThat(calls).hasValue(2);
            assertThat(p.send("t/1", "a", "msgId", "m1")).isEqualTo(FILTERED);
        }
    }

    @Test
    void inRedisAcrossInstances() throws Exception {
        RedisProcess.assumeLocalRedis();
        String scope = "test-" + UUID.randomUUID();
        MiddlewareCounters counters = new MiddlewareCounters();
        try (RedisConnections redis = RedisConnections.open(RedisConfig.defaults())) {
            DedupConfig c = DedupConfig.byUserProperty("msgId", Duration.ofMinutes(1)).withStore(Store.REDIS).withScope(scope);
            try (Pipeline one = new Pipeline((r, h) -> r.on("t/#", h).middleware(Dedup.of(c, () -> redis, counters)));
                 Pipeline two = new Pipeline((r, h) -> r.on("t/#", h).middleware(Dedup.of(c, () -> redis, counters)))) {
                assertThat(one.send("t/1", "a", "msgId", "m1")).isEqualTo(HANDLED);
                assertThat(two.send("t/1", "a", "msgId", "m1")).isEqualTo(FILTERED);
                assertThat(two.send("t/1", "a", "msgId", "m2")).isEqualTo(HANDLED);
                assertThat(redis.shared().sync().pttl("routemq:dedup:" + scope + ":m1")).isPositive();
                assertThat(counters.count("dedup", "duplicate")).isEqualTo(1);
                assertThat(counters.count("dedup", "redis_fallback")).isZero();
            } finally {
                redis.shared().sync().del("routemq:dedup:" + scope + ":m1", "routemq:dedup:" + scope + ":m2");
            }
        }
    }

    @Test
    void badOptionsNameTheKey() {
        assertThatThrownBy(() -> DedupConfig.parseKey("msgId")).hasMessageStartingWith("key:");
        assertThatThrownBy(() -> DedupConfig.byPayload(Duration.ZERO)).hasMessageStartingWith("ttl:");
        assertThat(DedupConfig.parseKey("userProperty.id")).isEqualTo("id");
        assertThat(DedupConfig.parseKey("payload")).isNull();
    }
}
