package io.routemq.server.gateway;

import io.routemq.core.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink delivery retries keep their documented delays now that they use core's {@link Backoff}. */
class RetryPolicyTest {

    @Test
    void defaultsGrowFrom500msTo1minWithJitterAround() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.backoff()).isEqualTo(new Backoff(Duration.ofMillis(500), Duration.ofMinutes(1), 2.0, 0.2, Backoff.Jitter.AROUND));
        for (int i = 0; i < 200; i++) {
            assertThat(p.backoff(1, null)).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
            assertThat(p.backoff(3, null)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
            assertThat(p.backoff(40, null)).isBetween(Duration.ofSeconds(48), Duration.ofMinutes(1));
        }
    }

    @Test
    void retryAfterWinsWhenLonger() {
        RetryPolicy p = new RetryPolicy(0, Duration.ofMillis(10), Duration.ofMillis(10), 2.0, 0.0, Duration.ZERO);
        assertThat(p.backoff(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.backoff(1, Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void attemptsAndAgeLimitRetries() {
        RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(1), 2.0, 0.2, Duration.ofSeconds(5));
        assertThat(p.mayRetry(2, 0, 1_000)).isTrue();
        assertThat(p.mayRetry(3, 0, 1_000)).isFalse();
        assertThat(p.mayRetry(1, 0, 5_000)).isFalse();
        assertThat(RetryPolicy.defaults().mayRetry(1_000_000, 0, Long.MAX_VALUE)).isTrue();
    }

    @Test
    void badValuesSayItIsTheRetryBackoff() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0.2, Duration.ZERO))
                .hasMessageContaining("retry backoff").hasMessageContaining("max delay");
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 2.0, 1.5, Duration.ZERO))
                .hasMessageContaining("retry backoff").hasMessageContaining("jitter");
        assertThatThrownBy(() -> new RetryPolicy(-1, Backoff.NONE, Duration.ZERO)).hasMessageContaining("attempts");
    }
}
