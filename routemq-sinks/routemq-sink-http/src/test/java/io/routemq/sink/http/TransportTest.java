package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two transports behind the sink, HTTP/1.1 (Apache HttpClient) and HTTP/2 (the JDK client), send the same
 * request, read a response the same way and keep their connections alive.
 */
class TransportTest {

    private static Receiver receiver;

    @BeforeAll
    static void start() {
        receiver = Receiver.http().respond(r -> r.path().equals("/busy")
                ? Receiver.Reply.status(503, "busy: " + "x".repeat(5000)).header("Retry-After", "7")
                : Receiver.Reply.status(200, "ok"));
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void clear() {
        receiver.requests.clear();
    }

    private static HttpSinkConfig.Builder config(HttpClient.Version version, String path) {
        return HttpSinkConfig.builder("t").url(URI.create(receiver.uri(path) + "?k=v%20w")).version(version);
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void theRequestIsTheSameOnEitherVersion(HttpClient.Version version) throws Exception {
        HttpSinkConfig cfg = config(version, "/in").method("put").body(BodyFormat.RAW).bearer("tok")
                .header("X-Tenant", "acme").header("Content-Type", "application/cbor").build();
        try (HttpSink sink = new HttpSink(cfg)) {
            assertThat(sink.deliver(List.of(Envelopes.of("a/b", new byte[]{0, 1, 2, (byte) 0xff})))).containsExactly(DeliveryResult.DELIVERED);
        }
        Receiver.Request r = receiver.requests.get(0);
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.path()).isEqualTo("/in");
        assertThat(r.rawQuery()).isEqualTo("k=v%20w");
        assertThat(r.body()).containsExactly(0, 1, 2, 0xff);
        assertThat(r.header("Content-Type")).isEqualTo("application/cbor");
        assertThat(r.header("Content-Length")).isEqualTo("4");
        assertThat(r.header("Authorization")).isEqualTo("Bearer tok");
        assertThat(r.header("X-Tenant")).isEqualTo("acme");
        assertThat(r.header("User-Agent")).isEqualTo("RouteMQ-HttpSink");
        assertThat(r.headers().get("Content-Type")).hasSize(1);
        assertThat(r.headers().get("User-Agent")).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void anErrorResponseGivesItsStatusRetryAfterAndExcerptOnEitherVersion(HttpClient.Version version) throws Exception {
        try (HttpSink sink = new HttpSink(config(version, "/busy").build())) {
            for (int i = 0; i < 3; i++) {
                DeliveryResult.Retry r = (DeliveryResult.Retry) sink.deliver(List.of(Envelopes.of("a/b", "{}"))).get(0);
                assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                assertThat(r.error()).startsWith("HTTP 503 from POST " + receiver.uri("/busy") + "?k=****: \"busy: xxx").endsWith("(Retry-After: 7s)");
            }
        }
        // the long error bodies were drained: the three requests came on one connection
        assertThat(receiver.requests.stream().map(Receiver.Request::clientPort).collect(Collectors.toSet())).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void oneAfterAnotherTheRequestsShareOneKeepAliveConnection(HttpClient.Version version) throws Exception {
        try (HttpSink sink = new HttpSink(config(version, "/in").build())) {
            for (int i = 0; i < 20; i++) assertThat(sink.deliver(List.of(Envelopes.of("a/b", "{}")))).containsExactly(DeliveryResult.DELIVERED);
        }
        Set<Integer> ports = receiver.requests.stream().map(Receiver.Request::clientPort).collect(Collectors.toSet());
        assertThat(receiver.requests).hasSize(20);
        assertThat(ports).as("client ports of 20 sequential requests").hasSize(1);
    }
}
