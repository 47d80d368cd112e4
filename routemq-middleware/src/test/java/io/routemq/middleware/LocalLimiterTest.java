package io.routemq.middleware;

import io.routemq.middleware.internal.LocalLimiter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The three algorithms on a clock the test moves. */
class LocalLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private LocalLimiter limiter(RateLimitConfig c) {
        return new LocalLimiter(c, now::get);
    }

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void fixedWindowAllowsTheLimitThenWaitsForTheWindowToEnd() {
        LocalLimiter l = limiter(RateLimitConfig.fixedWindow(3, Duration.ofSeconds(1)).build());
        assertThat(l.acquire("a")).isZero();
        advanceMillis(100);
        assertThat(l.acquire("a")).isZero();
        assertThat(l.acquire("a")).isZero();
        assertThat(l.acquire("a")).isEqualTo(900);
        assertThat(l.acquire("b")).as("another key has its own window").isZero();
        advanceMillis(900);
        assertThat(l.acquire("a")).isZero();
    }

    @Test
    void slidingWindowWeighsThePreviousWindow() {
        LocalLimiter l = limiter(RateLimitConfig.slidingWindow(10, Duration.ofSeconds(1)).build());
        // the limiter's windows start at its creation: fill window 0
        for (int i = 0; i < 10; i++) assertThat(l.acquire("k")).isZero();
        assertThat(l.acquire("k")).isEqualTo(1000);
        // 25% into window 1 the previous window still weighs 75%: 7.5 + 0 + 1 <= 10 allows 2 more, not 3
        advanceMillis(1250);
        assertThat(l.acquire("k")).isZero();
        assertThat(l.acquire("k")).isZero();
        long wait = l.acquire("k");
        assertThat(wait).isPositive();
        // after that wait the previous window weighs less and one more fits
        advanceMillis(wait);
        assertThat(l.acquire("k")).isZero();
        // two windows later nothing weighs
        advanceMillis(2000);
        for (int i = 0; i < 10; i++) assertThat(l.acquire("k")).isZero();
    }

    @Test
    void tokenBucketAllowsTheBurstThenTheRate() {
        LocalLimiter l = limiter(RateLimitConfig.tokenBucket(10, Duration.ofSeconds(1)).burst(5).build());
        for (int i = 0; i < 5; i++) assertThat(l.acquire("k")).isZero();
        assertThat(l.acquire("k")).isEqualTo(100);
        advanceMillis(100);
        assertThat(l.acquire("k")).isZero();
        assertThat(l.acquire("k")).isEqualTo(100);
        advanceMillis(10_000);
        for (int i = 0; i < 5; i++) assertThat(l.acquire("k")).as("refilled up to the burst only").isZero();
        assertThat(l.acquire("k")).isPositive();
    }

    @Test
    void memoryIsBoundedByMaxKeys() {
        LocalLimiter l = limiter(RateLimitConfig.fixedWindow(1, Duration.ofHours(1)).maxKeys(100).build());
        for (int i = 0; i < 10_000; i++) l.acquire("key-" + i);
        assertThat(l.keys()).isEqualTo(100);
    }
}
