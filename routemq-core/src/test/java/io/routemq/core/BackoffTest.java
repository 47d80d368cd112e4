package io.routemq.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one backoff: growth, the cap and the jitter band, on generated values. */
class BackoffTest {

    @Provide
    Arbitrary<Backoff> backoffs() {
        Arbitrary<Long> initial = Arbitraries.longs().between(0, 10_000_000_000L);
        Arbitrary<Long> extra = Arbitraries.longs().between(0, 600_000_000_000L);
        Arbitrary<Double> multiplier = Arbitraries.doubles().between(1.0, 10.0);
        Arbitrary<Double> jitter = Arbitraries.doubles().between(0.0, 1.0);
        Arbitrary<Backoff.Jitter> spread = Arbitraries.of(Backoff.Jitter.class);
        return Combinators.combine(initial, extra, multiplier, jitter, spread).as((i, e, m, j, s) ->
                new Backoff(Duration.ofNanos(i), Duration.ofNanos(i + e), m, j, s));
    }

    @Property(tries = 300)
    void withoutJitterDelaysNeverShrink(@ForAll("backoffs") Backoff b, @ForAll @IntRange(min = -2, max = 200) int attempt) {
        Backoff plain = b.toBuilder().jitter(0).build();
        assertThat(plain.delay(attempt + 1)).isGreaterThanOrEqualTo(plain.delay(attempt));
        assertThat(plain.delay(1)).isEqualTo(b.initial());
    }

    @Property(tries = 300)
    void neverNegativeNorAboveMax(@ForAll("backoffs") Backoff b, @ForAll @IntRange(min = -2, max = 10_000) int attempt,
                                  @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double random) {
        Duration d = b.delay(attempt, () -> random);
        assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(b.max());
    }

    @Property(tries = 300)
    void jitterStaysWithinItsBand(@ForAll("backoffs") Backoff b, @ForAll @IntRange(min = 1, max = 100) int attempt,
                                  @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double random) {
        long base = b.toBuilder().jitter(0).build().delay(attempt).toNanos();
        long d = b.delay(attempt, () -> random).toNanos();
        double band = base * b.jitter();
        double low = b.spread() == Backoff.Jitter.UP ? base : base - band;
        double high = Math.min(b.max().toNanos(), base + band);
        assertThat((double) d).isBetween(Math.max(0, low) - 1, high + 1);
    }

    @Property(tries = 300)
    void theRandomValueMovesTheDelayOneWay(@ForAll("backoffs") Backoff b, @ForAll @IntRange(min = 1, max = 100) int attempt,
                                           @ForAll @DoubleRange(min = 0.0, max = 0.5) double r) {
        assertThat(b.delay(attempt, () -> r + 0.4999)).isGreaterThanOrEqualTo(b.delay(attempt, () -> r));
    }

    @Example
    void growsExponentiallyUpToTheMax() {
        Backoff b = Backoff.builder().initial(Duration.ofMillis(100)).max(Duration.ofSeconds(1)).multiplier(3).build();
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(b.delay(3)).isEqualTo(Duration.ofMillis(900));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
    }

    @Example
    void jitterBands() {
        Backoff up = Backoff.builder().initial(Duration.ofMillis(100)).max(Duration.ofSeconds(1)).jitter(0.2)
                .spread(Backoff.Jitter.UP).build();
        assertThat(up.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(up.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(110));
        Backoff around = up.toBuilder().spread(Backoff.Jitter.AROUND).build();
        assertThat(around.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(80));
        assertThat(around.delay(1, () -> 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(Backoff.fixed(Duration.ofMillis(7)).delay(9)).isEqualTo(Duration.ofMillis(7));
        assertThat(Backoff.NONE.delay(1)).isZero();
    }

    @Example
    void badValuesAreNamed() {
        assertThatThrownBy(() -> Backoff.builder().initial(Duration.ofSeconds(-1)).build()).hasMessageContaining("initial delay");
        assertThatThrownBy(() -> Backoff.builder().initial(Duration.ofSeconds(5)).max(Duration.ofSeconds(1)).build())
                .hasMessageContaining("max delay");
        assertThatThrownBy(() -> Backoff.builder().multiplier(0.5).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Backoff.builder().multiplier(Double.NaN).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Backoff.builder().jitter(1.5).build()).hasMessageContaining("jitter");
        assertThat(Backoff.builder().jitter(1.5).spread(Backoff.Jitter.UP).build().jitter()).isEqualTo(1.5);
        assertThatThrownBy(() -> Backoff.builder().max(Duration.ofDays(365L * 1000)).build()).hasMessageContaining("too long");
    }
}
