package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Status and error classification against a real receiver. */
class ClassificationTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static Receiver receiver;

    @BeforeAll
    static void start() {
        receiver = Receiver.http().respond(r -> {
            String[] parts = r.path().split("/");
            int status = Integer.parseInt(parts[2]);
            Receiver.Reply reply = Receiver.Reply.status(status, status >= 300 ? "down for\nmaintenance" : "");
            return switch (parts.length > 3 ? parts[3] : "") {
                case "seconds" -> reply.header("Retry-After", "3");
                case "date" -> reply.header("Retry-After",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(30), ZoneOffset.UTC)));
                case "redirect" -> reply.header("Location", "https://elsewhere.example/in");
                case "slow" -> reply.after(Duration.ofSeconds(3));
                default -> reply;
            };
        });
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static DeliveryResult deliver(URI uri, HttpSinkConfig.Builder b) throws Exception {
        try (HttpSink sink = new HttpSink(b.url(uri).circuitBreaker(0, Duration.ofSeconds(1)).build(), Clock.fixed(NOW, ZoneOffset.UTC))) {
            List<DeliveryResult> r = sink.deliver(List.of(Envelopes.of("a/b", "{}")));
            assertThat(r).hasSize(1);
            return r.get(0);
        }
    }

    private static DeliveryResult deliver(String path) throws Exception {
        return deliver(receiver.uri(path), HttpSinkConfig.builder("c"));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void twoHundredsAreDelivered(int status) throws Exception {
        assertThat(deliver("/s/" + status)).isEqualTo(DeliveryResult.DELIVERED);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 408, 429})
    void serverErrorsTimeoutsAndThrottlingAreRetried(int status) throws Exception {
        DeliveryResult r = deliver("/s/" + status);
        assertThat(r).isInstanceOf(DeliveryResult.Retry.class);
        DeliveryResult.Retry retry = (DeliveryResult.Retry) r;
        assertThat(retry.retryAfter()).isNull();
        assertThat(retry.error()).isEqualTo("HTTP " + status + " from POST " + receiver.uri("/s/" + status) + ": \"down for maintenance\"");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 413, 422})
    void otherClientErrorsAreRejected(int status) throws Exception {
        DeliveryResult r = deliver("/s/" + status);
        assertThat(r).isInstanceOf(DeliveryResult.Reject.class);
        assertThat(((DeliveryResult.Reject) r).error()).startsWith("HTTP " + status + " from POST http://127.0.0.1:").contains("down for maintenance");
    }

    @Test
    void retryAfterInSecondsIsPassedOn() throws Exception {
        DeliveryResult.Retry r = (DeliveryResult.Retry) deliver("/s/429/seconds");
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(r.error()).contains("HTTP 429").endsWith("(Retry-After: 3s)");
    }

    @Test
    void retryAfterAsHttpDateIsPassedOn() throws Exception {
        DeliveryResult.Retry r = (DeliveryResult.Retry) deliver("/s/503/date");
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void redirectsAreRejectedWithTheirTarget() throws Exception {
        DeliveryResult r = deliver("/s/302/redirect");
        assertThat(r).isInstanceOf(DeliveryResult.Reject.class);
        assertThat(((DeliveryResult.Reject) r).error()).contains("HTTP 302").contains("redirect to https://elsewhere.example/in")
                .contains("configure the final URL");
    }

    @Test
    void statusRuleOverrides() throws Exception {
        assertThat(deliver(receiver.uri("/s/409"), HttpSinkConfig.builder("c").retryOn(409))).isInstanceOf(DeliveryResult.Retry.class);
        assertThat(deliver(receiver.uri("/s/501"), HttpSinkConfig.builder("c").rejectOn(501))).isInstanceOf(DeliveryResult.Reject.class);
        assertThat(deliver(receiver.uri("/s/503"), HttpSinkConfig.builder("c").rejectOn(501))).isInstanceOf(DeliveryResult.Retry.class);
    }

    @Test
    void connectionRefusedIsRetriedAndSaysSo() throws Exception {
        URI dead = Ports.refused("/in");
        DeliveryResult r = deliver(dead, HttpSinkConfig.builder("c"));
        assertThat(r).isInstanceOf(DeliveryResult.Retry.class);
        assertThat(((DeliveryResult.Retry) r).error()).startsWith("cannot connect to POST " + dead).contains("is the receiver running?");
    }

    @Test
    void aSlowReceiverHitsTheRequestTimeout() throws Exception {
        DeliveryResult r = deliver(receiver.uri("/s/200/slow"), HttpSinkConfig.builder("c").requestTimeout(Duration.ofMillis(300)));
        assertThat(r).isInstanceOf(DeliveryResult.Retry.class);
        assertThat(((DeliveryResult.Retry) r).error()).isEqualTo("no response from POST " + receiver.uri("/s/200/slow")
                + " within 300ms (timeout.request)");
    }

    @Test
    void errorsNeverCarryCredentialsOrQueryStrings() throws Exception {
        URI withSecrets = URI.create("http://bob:s3cret@127.0.0.1:" + receiver.port() + "/s/500?token=abc123");
        DeliveryResult.Retry r = (DeliveryResult.Retry) deliver(withSecrets, HttpSinkConfig.builder("c"));
        assertThat(r.error()).contains("HTTP 500 from POST http://****@127.0.0.1:" + receiver.port() + "/s/500?token=****")
                .doesNotContain("bob").doesNotContain("s3cret").doesNotContain("abc123");
    }

    @Test
    void longErrorBodiesAreCutToAnExcerpt() throws Exception {
        try (Receiver big = Receiver.http().respond(r -> Receiver.Reply.status(400, "x".repeat(100_000)))) {
            DeliveryResult.Reject r = (DeliveryResult.Reject) deliver(big.uri("/in"), HttpSinkConfig.builder("c"));
            assertThat(r.error()).endsWith("xxx...\"").hasSizeLessThan(300);
        }
    }
}
