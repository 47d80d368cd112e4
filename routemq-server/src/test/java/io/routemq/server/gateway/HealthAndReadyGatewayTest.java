package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.routemq.server.gateway.GatewayTestSupport.handled;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static io.routemq.server.gateway.MetricsAndHealthGatewayTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /ready} (started, not shutting down, every session subscribed, every queue accepting) and the sink part of
 * {@code /health} (DOWN once a sink's deliveries have failed longer than {@code admin.sinkFailureWindow}), over real
 * HTTP against a running gateway.
 */
@ExtendWith(SharedBroker.class)
class HealthAndReadyGatewayTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    static Path config(Path dir, int brokerPort, String clientId, String topic, String url, String window) throws Exception {
        return write(dir, "routemq.yaml", """
                brokers:
                  main:
                    url: mqtt://127.0.0.1:%d
                    clientId: %s
                    reconnect: { initialDelay: 200ms, maxDelay: 2s }
                queue: { dir: '%s', fsync: always }
                admin: { port: 0, sinkFailureWindow: %s }
                routes:
                  - { name: r, topic: '%s', to: [ingest] }
                sinks:
                  ingest:
                    http: { urls: ['%s'], body: raw, circuitBreaker: { failures: 5, openFor: 1s } }
                    retry: { attempts: 0, backoff: 200ms..1s }
                """.formatted(brokerPort, clientId, dir.resolve("queue").toAbsolutePath(), window, topic, url));
    }

    @Test
    void readyIs200WhenSubscribedAnd503FromTheStartOfAGracefulShutdown(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        int n = 20;
        CountDownLatch open = new CountDownLatch(1);
        try (TestReceiver r = TestReceiver.start("ready-receiver")) {
            // the receiver holds every request until released, so the shutdown's drain lasts as long as the test wants
            r.responder((k, path, body) -> open.await(60, TimeUnit.SECONDS) ? 200 : 503);
            Gateway g = GatewayTestSupport.startReady(load(config(tmp, broker.tcpPort(), "gw-ready", "ready/#", r.url("/in"), "5m")));
            try (TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-ready")) {
                int port = g.adminPort();
                HttpResponse<String> ready = get(port, "/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                JsonNode body = JSON.readTree(ready.body());
                assertThat(body.get("status").asString()).isEqualTo("READY");
                assertThat(body.get("sessions").get("main").asString()).isEqualTo("READY");
                report("ready", "running: GET /ready -> 200 " + ready.body());

                pub.publishSeqs("ready/dev", 0, n);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handled(g, "r")).isEqualTo(n));

                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> g.stop(Duration.ofSeconds(60)));
                HttpResponse<String> during = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> get(port, "/ready"), h -> h.statusCode() == 503);
                assertThat(stopping).as("still draining: the shutdown is under way").isNotDone();
                assertThat(during.body()).contains("\"status\":\"NOT_READY\"").contains("the gateway is shutting down");
                report("ready", "during the graceful shutdown (drain under way): GET /ready -> 503 " + during.body());
                open.countDown();
                stopping.get(90, TimeUnit.SECONDS);
                assertThat(r.unique()).isEqualTo(n);
            } finally {
                open.countDown();
                g.close();
            }
        }
    }

    @Test
    void readyIs503WhileTheSessionIsNotConnected(@TempDir Path tmp) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (Gateway g = Gateway.start(load(config(tmp, closedPort, "gw-unready", "x/#", "http://127.0.0.1:9/in", "5m")), false)) {
            HttpResponse<String> ready = get(g.adminPort(), "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("session 'main' is").contains("not connected and subscribed");
            report("ready", "broker unreachable: GET /ready -> 503 " + ready.body());
        }
    }

    @Test
    void healthIsDownOnceASinkFailsLongerThanTheWindowWhileReadyStays200(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        int n = 3;
        try (TestReceiver r = TestReceiver.start("window-receiver")) {
            r.down();
            try (Gateway g = GatewayTestSupport.startReady(load(config(tmp, broker.tcpPort(), "gw-window", "window/#", r.url("/in"), "2s")));
                 TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-window")) {
                int port = g.adminPort();
                pub.publishSeqs("window/dev", 0, n);
                JsonNode down = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    HttpResponse<String> h = get(port, "/health");
                    return h.statusCode() == 503 ? JSON.readTree(h.body()) : null;
                }, b -> b != null && b.path("queues").path("ingest").has("deliveryFailing"));
                assertThat(down.get("status").asString()).isEqualTo("DOWN");
                assertThat(down.get("reasons").toString()).contains("sink 'ingest': deliveries have failed for")
                        .contains("longer than admin.sinkFailureWindow 2s").contains("last error");
                assertThat(down.path("queues").path("ingest").has("failingSince")).isTrue();
                assertThat(get(port, "/ready").statusCode()).as("a sink that is down does not make the gateway unready").isEqualTo(200);
                report("sink-window", "sink down, window 2s: GET /health -> 503 " + down.get("reasons"));

                r.up();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(r.unique()).isEqualTo(n));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(port, "/health").statusCode()).isEqualTo(200));
                assertThat(get(port, "/health").body()).doesNotContain("failingSince");
            }
        }
    }
}
