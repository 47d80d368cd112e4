package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Auth, headers and method arrive at the receiver. */
class AuthTest {

    private static Receiver receiver;

    @BeforeAll
    static void start() {
        receiver = Receiver.http();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void clear() {
        receiver.requests.clear();
    }

    private static Receiver.Request send(HttpSinkConfig cfg) throws Exception {
        try (HttpSink sink = new HttpSink(cfg)) {
            assertThat(sink.deliver(List.of(Envelopes.of("a/b", "{}")))).containsExactly(DeliveryResult.DELIVERED);
        }
        return receiver.requests.get(0);
    }

    @Test
    void bearerTokenArrives() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("a").url(receiver.uri("/in")).bearer("tok-123").build());
        assertThat(r.header("Authorization")).isEqualTo("Bearer tok-123");
    }

    @Test
    void basicAuthArrives() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("a").url(receiver.uri("/in")).basic("bob", "pä:ss").build());
        assertThat(r.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("bob:pä:ss".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void userInfoInTheUrlBecomesBasicAuthAndIsNotSentInTheUrl() throws Exception {
        URI u = URI.create("http://alice:open%20sesame@127.0.0.1:" + receiver.port() + "/in?x=1");
        Receiver.Request r = send(HttpSinkConfig.builder("a").url(u).build());
        assertThat(r.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("alice:open sesame".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.rawQuery()).isEqualTo("x=1");
    }

    @Test
    void headersAndMethodArrive() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("a").url(receiver.uri("/in")).method("put")
                .header("X-Api-Key", "k1").header("X-Tenant", "acme").build());
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.header("X-Api-Key")).isEqualTo("k1");
        assertThat(r.header("X-Tenant")).isEqualTo("acme");
        assertThat(r.header("User-Agent")).isEqualTo("RouteMQ-HttpSink");
        assertThat(r.header("Authorization")).isNull();
    }
}
