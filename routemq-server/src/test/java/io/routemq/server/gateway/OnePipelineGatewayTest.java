package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.core.ErrorPolicy;
import io.routemq.core.Routes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.counter;
import static io.routemq.server.gateway.GatewayTestSupport.filtered;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Code routes and config routes on one pipeline, against a real broker and real HTTP receivers: a route that runs a
 * handler and forwards to a config sink, a YAML route with {@code middleware:}, and the durable-ack rule for a failing
 * handler (under {@code redeliver()} no ack and no append; under {@code ack()} an ack counted as failed and no append).
 * A failed append (no ack) is shown on a full disk by the disk-full gateway test.
 */
@ExtendWith(SharedBroker.class)
class OnePipelineGatewayTest {

    private static String config(EmbeddedBroker broker, Path tmp, String clientId, TestReceiver ingest, TestReceiver archive) {
        // a persistent session: the broker redelivers an unacknowledged message only to a session it kept
        return common(broker.tcpPort(), clientId, tmp.resolve("queue"), false)
                .replace("    reconnect:", "    cleanStart: false\n    sessionExpiry: 1h\n    reconnect:") + """
                routes:
                  - name: hot
                    topic: plant/{line}/telemetry
                    middleware:
                      - filter: { field: payload.temp, gt: 30 }
                    to: [archive]
                sinks:
                  ingest:
                    http: { urls: ['%s'], body: raw }
                  archive:
                    http: { urls: ['%s'], body: raw }
                """.formatted(ingest.url("/ingest"), archive.url("/archive"));
    }

    @Test
    void handlerAndSinkRouteAndMiddlewareYamlRouteRunEndToEnd(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        Routes code = router -> router.on("app/{truckId}/gps", ctx -> handled.add(ctx.param("truckId"))).name("gps").qos(1).to("ingest");
        try (TestReceiver ingest = TestReceiver.start("ingest"); TestReceiver archive = TestReceiver.start("archive")) {
            Path file = write(tmp, "routemq.yaml", config(broker, tmp, "gw-one-pipeline", ingest, archive));
            try (Gateway g = startReady(file, code); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-one-pipeline")) {
                int n = 20;
                for (int i = 0; i < n; i++) pub.publish("app/truck-" + (i % 4) + "/gps", "{\"seq\":" + i + "}").get();
                pub.publish("plant/a/telemetry", "{\"seq\":100,\"temp\":25}").get();
                pub.publish("plant/a/telemetry", "{\"seq\":101,\"temp\":35}").get();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(ingest.unique()).isEqualTo(n);
                    assertThat(archive.unique()).isEqualTo(1);
                });
                assertThat(handled).hasSize(n).contains("truck-0", "truck-3");
                assertThat(archive.has(101)).isTrue();
                assertThat(archive.has(100)).isFalse();
                assertThat(filtered(g, "hot")).isEqualTo(1);
                assertThat(GatewayTestSupport.handled(g, "gps")).isEqualTo(n);
                report("one-pipeline", "code route: handled " + handled.size() + ", forwarded " + ingest.unique()
                        + "; yaml middleware route: forwarded " + archive.unique() + ", filtered " + filtered(g, "hot"));
            }
        }
    }

    @Test
    void aFailingHandlerUnderRedeliverIsNotAckedAndAppendsNothing(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Routes code = router -> router.on("app/{id}/redeliver", ctx -> {
            if (calls.incrementAndGet() < 3) throw new IllegalStateException("database down (attempt " + calls.get() + ")");
        }).name("redeliver").qos(1).to("ingest").onError(ErrorPolicy.redeliver());
        try (TestReceiver ingest = TestReceiver.start("ingest"); TestReceiver archive = TestReceiver.start("archive")) {
            Path file = write(tmp, "routemq.yaml", config(broker, tmp, "gw-redeliver", ingest, archive));
            try (Gateway g = startReady(file, code); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-redeliver")) {
                pub.publish("app/1/redeliver", "{\"seq\":7}").get();
                // The broker only redelivers what was never acknowledged: a third call proves two failures went unacked.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ingest.unique()).isEqualTo(1));
                assertThat(calls.get()).isGreaterThanOrEqualTo(3);
                assertThat(ingest.acceptedCount()).as("nothing was appended by the failed attempts").isEqualTo(1);
                assertThat(counter(g, "routemq.messages", "route", "redeliver", "outcome", "rejected")).isGreaterThanOrEqualTo(2);
                report("one-pipeline", "redeliver(): handler calls " + calls.get() + ", forwarded " + ingest.acceptedCount());
            }
        }
    }

    @Test
    void aFailingHandlerUnderAckIsAckedAsFailedAndAppendsNothing(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Routes code = router -> router.on("app/{id}/ack", ctx -> {
            String body = new String(ctx.payload(), StandardCharsets.UTF_8);
            calls.add(body);
            if (body.contains("bad")) throw new IllegalStateException("cannot parse");
        }).name("acked").qos(1).to("ingest");
        try (TestReceiver ingest = TestReceiver.start("ingest"); TestReceiver archive = TestReceiver.start("archive")) {
            Path file = write(tmp, "routemq.yaml", config(broker, tmp, "gw-ack", ingest, archive));
            try (Gateway g = startReady(file, code); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-ack")) {
                pub.publish("app/1/ack", "{\"seq\":1,\"bad\":true}").get();
                // one topic is handled in order: once the marker is forwarded, the bad message is finished
                pub.publish("app/1/ack", "{\"seq\":2}").get();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ingest.unique()).isEqualTo(1));
                assertThat(ingest.has(2)).isTrue();
                assertThat(ingest.has(1)).isFalse();
                assertThat(counter(g, "routemq.messages", "route", "acked", "outcome", "failed")).isEqualTo(1);
                // it was acknowledged: the gateway's session reconnects for a rejected message, and none happened
                assertThat(g.sessions().get("main").status().stats().disconnects()).isZero();
                assertThat(calls).hasSize(2);
                report("one-pipeline", "ack(): failed " + counter(g, "routemq.messages", "route", "acked", "outcome", "failed")
                        + ", forwarded " + ingest.acceptedCount() + ", handler calls " + calls.size());
            }
        }
    }

    @Test
    void aCodeRouteNamingAnUnknownSinkFailsAtStart(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        Routes code = router -> router.on("app/{id}/x", ctx -> { }).to("ingets");
        try (TestReceiver ingest = TestReceiver.start("ingest"); TestReceiver archive = TestReceiver.start("archive")) {
            Path file = write(tmp, "routemq.yaml", config(broker, tmp, "gw-unknown-sink", ingest, archive));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gateway.start(load(file), false, List.of(code)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("forwards to sink 'ingets', which is not configured (configured sinks: archive, ingest)");
        }
    }

    private static Gateway startReady(Path file, Routes code) throws InterruptedException {
        Gateway g = Gateway.start(load(file), false, List.of(code));
        try {
            g.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            g.close();
            throw e;
        }
        return g;
    }
}
