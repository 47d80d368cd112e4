package io.routemq.sink.http.internal;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Unit tests of the pure pieces: Retry-After parsing, Go float formatting, the circuit breaker. */
class InternalsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("1994-11-06T08:49:00Z"), ZoneOffset.UTC);

    @Test
    void retryAfterForms() {
        assertThat(Classifier.parseRetryAfter("3", CLOCK)).isEqualTo(Duration.ofSeconds(3));
        assertThat(Classifier.parseRetryAfter(" 120 ", CLOCK)).isEqualTo(Duration.ofMinutes(2));
        assertThat(Classifier.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", CLOCK)).isEqualTo(Duration.ofSeconds(37));
        assertThat(Classifier.parseRetryAfter("Sun Nov  6 08:49:37 1994", CLOCK)).isEqualTo(Duration.ofSeconds(37));
        assertThat(Classifier.parseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO); // in the past
        assertThat(Classifier.parseRetryAfter("soon", CLOCK)).isNull();
        assertThat(Classifier.parseRetryAfter("-5", CLOCK)).isNull();
        assertThat(Classifier.parseRetryAfter("99999999999999999999999", CLOCK)).isNull();
    }

    @Test
    void jsonTextTellsJsonFromBinaryAndFromText() {
        assertThat(Json.jsonText(" \r\n {\"a\": [1, 2]}\t".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("{\"a\": [1, 2]}");
        for (String v : new String[] {"true", "false", "null", "-1.5e3", "0", "\"é\"", "[]"}) {
            assertThat(Json.jsonText(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))).as(v).isEqualTo(v);
        }
        assertThat(Json.jsonText(new byte[] {'R', 1, 0, 3, (byte) 0xC3, (byte) 0x28})).as("binary").isNull();
        assertThat(Json.jsonText(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'})).as("not UTF-8").isNull();
        assertThat(Json.jsonText("nope".getBytes())).as("starts like null, is not JSON").isNull();
        assertThat(Json.jsonText("{\"a\":1} {\"b\":2}".getBytes())).as("two values").isNull();
        assertThat(Json.jsonText("   ".getBytes())).isNull();
        assertThat(Json.jsonText(new byte[0])).isNull();
        assertThat(Json.jsonText("\uFEFF{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).as("a byte order mark").isNull();
    }

    @Test
    void goFloatFormatting() {
        assertThat(GoFormat.goFloat(1)).isEqualTo("1");
        assertThat(GoFormat.goFloat(2.5)).isEqualTo("2.5");
        assertThat(GoFormat.goFloat(-0.0)).isEqualTo("-0");
        assertThat(GoFormat.goFloat(100)).isEqualTo("100");
        assertThat(GoFormat.goFloat(1e20)).isEqualTo("100000000000000000000");
        assertThat(GoFormat.goFloat(1e21)).isEqualTo("1e+21");
        assertThat(GoFormat.goFloat(1.5e300)).isEqualTo("1.5e+300");
        assertThat(GoFormat.goFloat(0.000001)).isEqualTo("0.000001");
        assertThat(GoFormat.goFloat(1e-7)).isEqualTo("1e-7");
        assertThat(GoFormat.goFloat(-1.25e-10)).isEqualTo("-1.25e-10");
        assertThat(GoFormat.goFloat(0.1)).isEqualTo("0.1");
        assertThat(GoFormat.goFloat(9007199254740993.0)).isEqualTo("9007199254740992");
    }

    @Test
    void goStringEscaping() {
        StringBuilder sb = new StringBuilder();
        GoFormat.goString(sb, "a\"b\\c\n\t\u0001<>&\u2028é😀\b\f");
        assertThat(sb.toString()).isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001\\u003c\\u003e\\u0026\\u2028é😀\\b\\f\"");
    }

    @Test
    void circuitBreakerOpensAfterConsecutiveFailuresAndTriesOnce() {
        AtomicLong now = new AtomicLong();
        CircuitBreaker cb = new CircuitBreaker("http://x/", 3, Duration.ofSeconds(10), now::get);
        assertThat(cb.tryAcquire()).isNull();
        cb.onFailure("e1");
        cb.onFailure("e2");
        cb.onSuccess(); // resets the count
        cb.onFailure("e3");
        cb.onFailure("e4");
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        cb.onFailure("e5");
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.OPEN);
        CircuitBreaker.Refusal refusal = cb.tryAcquire();
        assertThat(refusal.reason()).isEqualTo("circuit breaker open for http://x/ after 3 consecutive failures (last: e5); next trial in 10s");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(10));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(cb.tryAcquire()).isNull();                            // the trial
        assertThat(cb.tryAcquire().reason()).contains("trial request is in flight");
        cb.onFailure("e6");                                             // trial failed: open again
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.OPEN);

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(cb.tryAcquire()).isNull();
        cb.abandon();                                                   // interrupted trial frees the slot
        assertThat(cb.tryAcquire()).isNull();
        cb.onSuccess();
        assertThat(cb.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(cb.tryAcquire()).isNull();
    }

    @Test
    void aZeroThresholdNeverOpens() {
        CircuitBreaker cb = new CircuitBreaker("u", 0, Duration.ofSeconds(1), System::nanoTime);
        for (int i = 0; i < 100; i++) cb.onFailure("e");
        assertThat(cb.tryAcquire()).isNull();
    }

    @Test
    void excerptsAreShortAndOnOneLine() {
        assertThat(Classifier.excerpt("a\r\n  b\tc".getBytes())).isEqualTo("a b c");
        assertThat(Classifier.excerpt("y".repeat(500).getBytes())).hasSize(203).endsWith("...");
    }

    @Test
    void anEnvelopesEstimatedSizeHoldsItsJsonWithLittleToSpare() {
        byte[] binary = new byte[64];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) (i * 37 + 3);
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("site", "s7");
        params.put("id", "d42");
        List<io.routemq.core.UserProperty> props = List.of(new io.routemq.core.UserProperty("trace", "abc"));
        List<io.routemq.core.sink.Envelope> cases = List.of(
                new io.routemq.core.sink.Envelope("telemetry", "bench", "site/s7/device/d42/telemetry", params, binary, 1,
                        false, List.of(), null, 1_765_000_000_000L),
                new io.routemq.core.sink.Envelope("telemetry", "bench", "site/s7/device/d42/telemetry", params,
                        "{\"t\": 21.5, \"ok\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 2, true, props,
                        "application/json", 1_765_000_000_000L),
                new io.routemq.core.sink.Envelope("r", "s", "a", java.util.Map.of(), new byte[0], 0, false, List.of(), null, 0L),
                new io.routemq.core.sink.Envelope("r", "s", "a", java.util.Map.of(), new byte[1000], 0, false, props, "x/y", 5L));
        for (io.routemq.core.sink.Envelope e : cases) {
            int actual = EnvelopeJson.one(e).length;
            assertThat(EnvelopeJson.sizeOf(e)).as("estimate for %s (%d bytes of JSON)", e.topic(), actual)
                    .isGreaterThanOrEqualTo(actual).isLessThanOrEqualTo(actual + 48);
        }
        EnvelopeJson.Encoded batch = EnvelopeJson.array(java.util.Collections.nCopies(100, cases.getFirst()));
        int estimate = 100 * (EnvelopeJson.sizeOf(cases.getFirst()) + 1) + 2;
        assertThat(estimate).isGreaterThanOrEqualTo(batch.length());
        assertThat(batch.bytes()).as("the buffer of the estimate's size, never grown, handed on without a copy").hasSize(estimate);
        String text = new String(batch.bytes(), 0, batch.length(), java.nio.charset.StandardCharsets.UTF_8);
        String one = new String(EnvelopeJson.one(cases.getFirst()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("[" + String.join(",", java.util.Collections.nCopies(100, one)) + "]");
    }
}
