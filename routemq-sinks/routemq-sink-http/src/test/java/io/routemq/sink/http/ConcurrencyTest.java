package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-message concurrency is bounded by maxInFlight and results keep their order. */
class ConcurrencyTest {

    @Test
    void maxInFlightIsHonoured() throws Exception {
        try (Receiver r = Receiver.http().respond(req -> Receiver.Reply.status(200).after(Duration.ofMillis(50)))) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("c").url(r.uri("/in")).maxInFlight(4).build();
            try (HttpSink sink = new HttpSink(cfg)) {
                assertThat(sink.maxBatch()).isEqualTo(4);
                assertThat(sink.deliver(Envelopes.many(40))).hasSize(40).containsOnly(DeliveryResult.DELIVERED);
            }
            assertThat(r.requests).hasSize(40);
            assertThat(r.maxInFlight()).isLessThanOrEqualTo(4).isGreaterThan(1); // concurrent, but never more than 4
        }
    }

    @Test
    void resultsComeBackInTheOrderOfTheEnvelopes() throws Exception {
        try (Receiver r = Receiver.http().respond(req -> {
            int n = Integer.parseInt(req.bodyText().replaceAll(".*\"payload\":\\{\"n\":(\\d+)}}", "$1"));
            return Receiver.Reply.status(n % 3 == 0 ? 200 : n % 3 == 1 ? 503 : 400).after(Duration.ofMillis((n * 7) % 20));
        })) {
            try (HttpSink sink = new HttpSink(HttpSinkConfig.builder("c").url(r.uri("/in")).circuitBreaker(0, Duration.ofSeconds(1)).build())) {
                List<Envelope> envs = Envelopes.many(30);
                List<DeliveryResult> res = sink.deliver(envs);
                List<Class<?>> kinds = new ArrayList<>();
                for (DeliveryResult d : res) kinds.add(d.getClass());
                for (int i = 0; i < 30; i++) {
                    Class<?> expected = i % 3 == 0 ? DeliveryResult.Delivered.class : i % 3 == 1 ? DeliveryResult.Retry.class : DeliveryResult.Reject.class;
                    assertThat(kinds.get(i)).as("result %d", i).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void http2CanBeAskedForAndFallsBackToHttp11() throws Exception {
        try (Receiver r = Receiver.http()) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("c").url(r.uri("/in")).version(HttpClient.Version.HTTP_2).build();
            try (HttpSink sink = new HttpSink(cfg)) {
                assertThat(sink.deliver(Envelopes.many(3))).containsOnly(DeliveryResult.DELIVERED);
            }
            assertThat(r.requests).hasSize(3);
        }
    }

    @Test
    void anEmptyListNeedsNoRequest() throws Exception {
        try (HttpSink sink = new HttpSink(HttpSinkConfig.builder("c").url("http://127.0.0.1:9/in").build())) {
            assertThat(sink.deliver(List.of())).isEmpty();
        }
    }
}
