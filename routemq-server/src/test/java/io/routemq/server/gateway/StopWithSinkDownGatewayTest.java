package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.queued;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM while the sink is down: {@code routemq run} in a child JVM has acknowledged (durably queued) every message
 * but could deliver none. It must stop at once, not spend {@code shutdown.timeout} (10 minutes here) retrying what
 * is already safe on disk, and say so with the timeout written as the config writes it ({@code 10m}, not
 * {@code PT10M}). The next start delivers every message: none lost.
 */
@ExtendWith(SharedBroker.class)
class StopWithSinkDownGatewayTest {
    static final int MESSAGES = 500;
    static final Pattern QUEUED = Pattern.compile("\"queued\"\\s*:\\s*(\\d+)");

    @Test
    void sigtermWithTheSinkDownStopsPromptlyAndTheRestartDeliversEverything(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        try (TestReceiver r = TestReceiver.start("down-at-stop")) {
            Path file = write(tmp, "routemq.yaml", common(broker.tcpPort(), "gw-stop-sink-down", tmp.resolve("queue"), true)
                    .replace("timeout: 20s", "timeout: 10m") + """
                    routes:
                      - name: down-at-stop
                        topic: downstop/{device}/data
                        to: [ingest]
                    sinks:
                      ingest:
                        http:
                          urls: [%s]
                          body: raw
                          circuitBreaker: { failures: 5, openFor: 1s }
                        retry: { attempts: 0, backoff: 200ms..2s }
                    """.formatted(r.url("/ingest")));
            r.down();
            Path out = Path.of("target", "child-logs", "stop-with-sink-down.log").toAbsolutePath();
            try (ChildGateway child = ChildGateway.start(tmp, Map.of(), out, "run", "--config", file.toString())) {
                child.awaitOutput("session 'main' state CONNECTED -> READY", Duration.ofSeconds(120));
                Matcher admin = KillNineGatewayTest.ADMIN_PORT.matcher(child.output());
                assertThat(admin.find()).as("the running line names the admin port").isTrue();
                URI health = URI.create("http://127.0.0.1:" + admin.group(1) + "/health");
                try (TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-stop-sink-down")) {
                    pub.publishSeqs("downstop/dev/data", 0, MESSAGES);
                    assertThat(pub.acked()).isEqualTo(MESSAGES);
                }
                // every message durably queued by the gateway (the broker no longer holds any), and the sink being retried
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> queuedBy(health) == MESSAGES);
                child.awaitOutput("retrying in", Duration.ofSeconds(60));

                long t0 = System.nanoTime();
                child.sigterm();
                boolean exited = child.waitFor(Duration.ofSeconds(120));
                long stopMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(exited).as("the gateway stops on SIGTERM without waiting out shutdown.timeout (10m) for the down sink; output:\n%s",
                        child.output()).isTrue();
                String log = child.output();
                assertThat(log).contains("stopping: no new messages").contains("(up to 10m)").doesNotContain("PT10M")
                        .contains("message(s) stay queued; they are delivered after the next start").contains("GatewayRunner - stopped");
                report("stop-sink-down", "SIGTERM with the sink down and " + MESSAGES + " messages queued: the child (pid " + child.pid()
                        + ") exited with " + child.exitValue() + " (128 + SIGTERM) after " + stopMs + " ms (shutdown.timeout 10m); output in " + out);
            }
            assertThat(r.requests()).as("the receiver was down throughout").isZero();

            r.up();
            long t1 = System.nanoTime();
            try (Gateway g = GatewayTestSupport.startReady(load(file))) {
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(r.unique()).isEqualTo(MESSAGES));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(queued(g)).isZero());
                assertThat(r.missing(MESSAGES)).isEmpty();
                report("stop-sink-down", "restart with the sink up delivered " + r.unique() + "/" + MESSAGES + " in "
                        + (System.nanoTime() - t1) / 1_000_000 + " ms: lost " + r.missing(MESSAGES).size() + ", duplicates " + r.duplicates());
            }
        }
    }

    /** The sink queue's depth from the child's GET /health (503 while a sink is failing, with the same body). */
    static long queuedBy(URI health) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = QUEUED.matcher(body);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }
}
