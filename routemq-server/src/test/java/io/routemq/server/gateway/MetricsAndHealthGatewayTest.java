package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin endpoint of a running gateway, over real HTTP: Prometheus {@code /metrics} and {@code /health}. */
@ExtendWith(SharedBroker.class)
class MetricsAndHealthGatewayTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the first sample of {@code metric} whose labels include every {@code label="value"} given. */
    static Double sample(String scrape, String metric, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        while (m.find()) {
            boolean all = true;
            for (String l : labels) all &= m.group(1).contains(l);
            if (all) return Double.parseDouble(m.group(2));
        }
        return null;
    }

    @Test
    void metricsCountHandledMessagesAndQueueDepthAndHealthIsReady(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        int n = 25;
        try (TestReceiver r = TestReceiver.start("metrics-receiver")) {
            Path file = write(tmp, "routemq.yaml", common(broker.tcpPort(), "gw-metrics", tmp.resolve("queue"), true) + """
                    routes:
                      - name: telemetry
                        topic: metrics/{device}/telemetry
                        to: [ingest]
                    sinks:
                      ingest:
                        http: { urls: ['%s'], body: envelope }
                        retry: { attempts: 0, backoff: 100ms..1s }
                    """.formatted(r.url("/in")));
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-metrics")) {
                int port = g.adminPort();
                assertThat(port).isPositive();

                HttpResponse<String> health = get(port, "/health");
                assertThat(health.statusCode()).isEqualTo(200);
                JsonNode h = JSON.readTree(health.body());
                assertThat(h.get("status").asString()).isEqualTo("UP");
                assertThat(h.get("sessions").get("main").get("state").asString()).isEqualTo("READY");
                assertThat(h.get("queues").get("ingest").get("queued").asLong()).isZero();
                assertThat(h.get("queues").get("ingest").get("nextOffset").asLong()).isZero();
                assertThat(h.get("queues").get("ingest").get("committedOffset").asLong()).isEqualTo(-1);
                report("metrics-health", "GET /health -> " + health.statusCode() + " " + health.body());

                pub.publishSeqs("metrics/dev1/telemetry", 0, n);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(r.unique()).isEqualTo(n));

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    String scrape = get(port, "/metrics").body();
                    assertThat(sample(scrape, "routemq_messages_total", "route=\"telemetry\"", "outcome=\"handled\"")).isEqualTo(n);
                    assertThat(sample(scrape, "routemq_queue_depth", "sink=\"ingest\"")).isEqualTo(0.0);
                    assertThat(sample(scrape, "routemq_sink_delivered_total", "sink=\"ingest\"")).isEqualTo(n);
                });
                JsonNode after = JSON.readTree(get(port, "/health").body()).get("queues").get("ingest");
                assertThat(after.get("nextOffset").asLong()).isEqualTo(n);
                assertThat(after.get("committedOffset").asLong()).isEqualTo(n - 1);
                HttpResponse<String> metrics = get(port, "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
                String scrape = metrics.body();
                assertThat(scrape).contains("# TYPE routemq_messages_total counter").contains("# TYPE routemq_queue_depth gauge");
                assertThat(sample(scrape, "routemq_queue_dead_letters", "sink=\"ingest\"")).isEqualTo(0.0);
                scrape.lines().filter(l -> l.startsWith("routemq_messages_total") || l.startsWith("routemq_queue_depth")
                        || l.startsWith("routemq_sink_delivered_total") || l.startsWith("routemq_messages_unmatched_total"))
                        .forEach(l -> report("metrics-health", l));

                assertThat(get(port, "/nope").statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void healthIs503WhileTheBrokerIsUnreachable(@TempDir Path tmp) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TestReceiver r = TestReceiver.start("unused")) {
            Path file = write(tmp, "routemq.yaml", common(closedPort, "gw-unreachable", tmp.resolve("queue"), true) + """
                    routes:
                      - { name: t, topic: 'x/#', to: [ingest] }
                    sinks:
                      ingest:
                        http: { urls: ['%s'] }
                    """.formatted(r.url("/in")));
            try (Gateway g = Gateway.start(load(file), false)) {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                    HttpResponse<String> health = get(g.adminPort(), "/health");
                    assertThat(health.statusCode()).isEqualTo(503);
                    JsonNode h = JSON.readTree(health.body());
                    assertThat(h.get("status").asString()).isEqualTo("DOWN");
                    assertThat(h.get("sessions").get("main").get("state").asString()).isNotEqualTo("READY");
                });
                report("metrics-health", "unreachable broker: GET /health -> " + get(g.adminPort(), "/health").body());
            }
        }
    }

    @Test
    void aTakenAdminPortFailsTheStartWithItsAddressAndReleasesTheQueue(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        try (TestReceiver r = TestReceiver.start("unused");
             ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            String rest = """
                    routes:
                      - { name: t, topic: 'admin/#', to: [ingest] }
                    sinks:
                      ingest:
                        http: { urls: ['%s'] }
                    """.formatted(r.url("/in"));
            String base = common(broker.tcpPort(), "gw-admin-taken", tmp.resolve("queue"), true)
                    .replace("  port: 0", "  port: " + taken.getLocalPort());
            Path file = write(tmp, "routemq.yaml", base + rest);
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Gateway.start(load(file), false));
            assertThat(t).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("admin HTTP port 127.0.0.1:" + taken.getLocalPort() + " is already in use");
            report("metrics-health", "admin port taken: " + t.getMessage());
            // everything the failed start opened was closed again: the queue directory can be opened at once
            Path again = write(tmp, "routemq2.yaml", common(broker.tcpPort(), "gw-admin-taken", tmp.resolve("queue"), false) + rest);
            try (Gateway g = GatewayTestSupport.startReady(load(again))) {
                assertThat(g.health().up()).isTrue();
            }
        }
    }
}
