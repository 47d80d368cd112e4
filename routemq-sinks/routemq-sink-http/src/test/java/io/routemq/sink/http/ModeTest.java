package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** fanout (one sink per URL), round-robin and failover against real receivers. */
class ModeTest {

    private static List<DeliveryResult> one(HttpSink sink, int i) throws InterruptedException {
        return sink.deliver(List.of(Envelopes.of("t/" + i, "{\"i\":" + i + "}")));
    }

    @Test
    void fanoutBuildsOneSinkPerUrlEachTrackedSeparately() throws Exception {
        try (Receiver a = Receiver.http(); Receiver b = Receiver.http().respond(r -> Receiver.Reply.status(503))) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("hooks").mode(UrlMode.FANOUT).url(a.uri("/a")).url(b.uri("/b")).build();
            List<HttpSinkConfig> per = cfg.perUrl();
            assertThat(per).hasSize(2);
            assertThat(per.get(0).urls()).containsExactly(a.uri("/a"));
            assertThat(per.get(1).urls()).containsExactly(b.uri("/b"));
            assertThat(per).allSatisfy(c -> assertThat(c.name()).matches("hooks#[0-9a-f]{8}"));
            assertThat(per.get(0).name()).isNotEqualTo(per.get(1).name());
            // names follow the URL, not its position
            HttpSinkConfig reordered = cfg.toBuilder().urls(List.of(b.uri("/b"), a.uri("/a"))).build();
            assertThat(reordered.perUrl().get(1).name()).isEqualTo(per.get(0).name());

            List<HttpSink> sinks = HttpSink.forConfig(cfg);
            try {
                assertThat(sinks).extracting(HttpSink::name).containsExactly(per.get(0).name(), per.get(1).name());
                Envelope e = Envelopes.of("t/1", "{}");
                assertThat(sinks.get(0).deliver(List.of(e))).containsExactly(DeliveryResult.DELIVERED);
                assertThat(sinks.get(1).deliver(List.of(e)).get(0)).isInstanceOf(DeliveryResult.Retry.class);
                assertThat(a.requests).hasSize(1);
                assertThat(b.requests).hasSize(1);
            } finally {
                sinks.forEach(HttpSink::close);
            }
        }
    }

    @Test
    void aSingleSinkRefusesFanoutOverSeveralUrls() {
        HttpSinkConfig cfg = HttpSinkConfig.builder("hooks").mode(UrlMode.FANOUT).url("http://127.0.0.1:1/a").url("http://127.0.0.1:1/b").build();
        assertThatThrownBy(() -> new HttpSink(cfg)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sinks.hooks.http.mode: fanout with 2 urls").hasMessageContaining("HttpSink.forConfig");
    }

    @Test
    void roundRobinSpreadsEvenly() throws Exception {
        try (Receiver a = Receiver.http(); Receiver b = Receiver.http(); Receiver c = Receiver.http()) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("rr").mode(UrlMode.ROUND_ROBIN).url(a.uri("/")).url(b.uri("/")).url(c.uri("/")).build();
            try (HttpSink sink = new HttpSink(cfg)) {
                assertThat(sink.maxBatch()).isEqualTo(3 * 64);
                List<DeliveryResult> r = sink.deliver(Envelopes.many(300));
                assertThat(r).hasSize(300).containsOnly(DeliveryResult.DELIVERED);
            }
            assertThat(List.of(a.requests.size(), b.requests.size(), c.requests.size())).containsExactly(100, 100, 100);
        }
    }

    @Test
    void roundRobinSkipsAUrlWhoseBreakerIsOpen() throws Exception {
        try (Receiver b = Receiver.http()) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("rr").mode(UrlMode.ROUND_ROBIN).url(Ports.refused("/")).url(b.uri("/"))
                    .circuitBreaker(1, Duration.ofMinutes(1)).build();
            try (HttpSink sink = new HttpSink(cfg)) {
                List<DeliveryResult> results = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) results.addAll(one(sink, i));
                assertThat(results.get(0)).isInstanceOf(DeliveryResult.Retry.class); // the first one met the dead URL
                assertThat(results.subList(1, 10)).containsOnly(DeliveryResult.DELIVERED);
                assertThat(sink.status().get(0).circuit()).isEqualTo("open");
            }
            assertThat(b.requests).hasSize(9);
        }
    }

    @Test
    void failoverMovesOnWhenTheFirstUrlIsDown() throws Exception {
        try (Receiver b = Receiver.http()) {
            URI dead = Ports.refused("/a");
            try (HttpSink sink = new HttpSink(HttpSinkConfig.builder("fo").url(dead).url(b.uri("/b")).build())) {
                assertThat(sink.deliver(Envelopes.many(5))).containsOnly(DeliveryResult.DELIVERED);
            }
            assertThat(b.requests).hasSize(5);
        }
    }

    @Test
    void failoverSkipsAnOpenBreakerAndComesBackWhenTheFirstUrlRecovers() throws Exception {
        try (Receiver a = Receiver.http().respond(r -> Receiver.Reply.status(503)); Receiver b = Receiver.http()) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("fo").mode(UrlMode.FAILOVER).url(a.uri("/a")).url(b.uri("/b"))
                    .circuitBreaker(2, Duration.ofMillis(400)).build();
            try (HttpSink sink = new HttpSink(cfg)) {
                for (int i = 0; i < 2; i++) assertThat(one(sink, i)).containsExactly(DeliveryResult.DELIVERED);
                assertThat(a.requests).hasSize(2);
                assertThat(sink.status().get(0).circuit()).isEqualTo("open");

                for (int i = 2; i < 5; i++) assertThat(one(sink, i)).containsExactly(DeliveryResult.DELIVERED);
                assertThat(a.requests).hasSize(2); // skipped while open
                assertThat(b.requests).hasSize(5);

                a.respond(r -> Receiver.Reply.status(200));
                await().atMost(Duration.ofSeconds(5)).until(() -> sink.status().get(0).circuit().equals("half_open"));
                for (int i = 5; i < 8; i++) assertThat(one(sink, i)).containsExactly(DeliveryResult.DELIVERED);
                assertThat(sink.status().get(0).circuit()).isEqualTo("closed");
                assertThat(a.requests).hasSize(5); // the trial and the two after it
                assertThat(b.requests).hasSize(5);
            }
        }
    }

    @Test
    void failoverWithEveryUrlDownRetriesNamingEach() throws Exception {
        URI a = Ports.refused("/a");
        try (Receiver b = Receiver.http().respond(r -> Receiver.Reply.status(429).header("Retry-After", "7"))) {
            try (HttpSink sink = new HttpSink(HttpSinkConfig.builder("fo").url(a).url(b.uri("/b")).build())) {
                DeliveryResult.Retry r = (DeliveryResult.Retry) one(sink, 1).get(0);
                assertThat(r.error()).startsWith("all 2 URLs failed: cannot connect to POST " + a).contains("HTTP 429 from POST " + b.uri("/b"));
                assertThat(r.retryAfter()).isNull(); // the refused URL gave no delay, so the worker's backoff decides
            }
        }
    }

    @Test
    void anOpenBreakerRetriesFastWithAClearErrorAndTheTimeLeft() throws Exception {
        try (Receiver a = Receiver.http().respond(r -> Receiver.Reply.status(500, "boom"))) {
            try (HttpSink sink = new HttpSink(HttpSinkConfig.builder("one").url(a.uri("/a")).circuitBreaker(3, Duration.ofMinutes(1)).build())) {
                IntStream.range(0, 3).forEach(i -> {
                    try {
                        one(sink, i);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                DeliveryResult.Retry r = (DeliveryResult.Retry) one(sink, 9).get(0);
                assertThat(r.error()).startsWith("circuit breaker open for " + a.uri("/a") + " after 3 consecutive failures (last: HTTP 500")
                        .contains("next trial in");
                assertThat(r.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
                assertThat(a.requests).hasSize(3);
            }
        }
    }
}
