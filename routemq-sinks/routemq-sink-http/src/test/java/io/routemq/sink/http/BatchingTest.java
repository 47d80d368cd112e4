package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One request per batch, as a JSON array of envelopes. */
class BatchingTest {

    @Test
    void thousandEnvelopesInBatchesOfHundredMakeTenArrays() throws Exception {
        try (Receiver r = Receiver.http()) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("b").url(r.uri("/batch")).batch(100, Duration.ofMillis(200)).build();
            List<Envelope> all = Envelopes.many(1000);
            try (HttpSink sink = new HttpSink(cfg)) {
                assertThat(sink.maxBatch()).isEqualTo(100);
                assertThat(sink.linger()).isEqualTo(Duration.ofMillis(200));
                assertThat(sink.deliver(all)).hasSize(1000).containsOnly(DeliveryResult.DELIVERED);
            }
            assertThat(r.requests).hasSize(10);
            JsonMapper json = JsonMapper.builder().build();
            List<String> topics = new ArrayList<>();
            for (Receiver.Request req : r.requests) {
                assertThat(req.header("Content-Type")).isEqualTo("application/json");
                JsonNode arr = json.readTree(req.body());
                assertThat(arr.isArray()).isTrue();
                assertThat(arr.size()).isEqualTo(100);
                int first = arr.get(0).get("payload").get("n").asInt();
                for (int i = 0; i < 100; i++) {
                    JsonNode env = arr.get(i);
                    assertThat(env.get("payloadEncoding").asString()).isEqualTo("json");
                    assertThat(env.get("payload").get("n").asInt()).isEqualTo(first + i); // order kept inside a batch
                    topics.add(env.get("topic").asString());
                }
            }
            assertThat(topics).containsExactlyInAnyOrderElementsOf(all.stream().map(Envelope::topic).toList());
        }
    }

    @Test
    void aBatchShareOneResultAndAPartialLastBatchIsSent() throws Exception {
        try (Receiver r = Receiver.http().respond(req -> req.bodyText().contains("\"topic\":\"plant/l1/machine/0/telemetry\"")
                ? Receiver.Reply.status(503) : Receiver.Reply.status(200))) {
            HttpSinkConfig cfg = HttpSinkConfig.builder("b").url(r.uri("/batch")).batch(4, null).build();
            try (HttpSink sink = new HttpSink(cfg)) {
                assertThat(sink.linger()).isEqualTo(HttpSinkConfig.Batch.DEFAULT_LINGER);
                List<DeliveryResult> res = sink.deliver(Envelopes.many(10));
                assertThat(res.subList(0, 4)).allSatisfy(x -> assertThat(x).isInstanceOf(DeliveryResult.Retry.class));
                assertThat(res.subList(4, 10)).containsOnly(DeliveryResult.DELIVERED);
            }
            assertThat(r.requests).hasSize(3);
        }
    }
}
