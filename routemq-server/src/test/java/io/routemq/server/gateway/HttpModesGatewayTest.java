package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.server.cli.RouteMqCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.counter;
import static io.routemq.server.gateway.GatewayTestSupport.deadLetters;
import static io.routemq.server.gateway.GatewayTestSupport.handled;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP sink's modes through the whole gateway (real broker, real QoS 1 publisher, real HTTP receivers): fanout,
 * round-robin and failover; a receiver that answers 503 for a while is retried until every message is in; a 4xx
 * dead-letters the message and {@code routemq dlq replay} brings it back for delivery after a restart.
 */
@ExtendWith(SharedBroker.class)
class HttpModesGatewayTest {
    static EmbeddedBroker broker;

    @BeforeAll
    static void broker(EmbeddedBroker shared) {
        broker = shared;
    }

    static Path config(Path dir, String clientId, String topic, String urls, String mode, String body) throws Exception {
        return write(dir, "routemq.yaml", common(broker.tcpPort(), clientId, dir.resolve("queue"), false) + """
                routes:
                  - name: r
                    topic: %s
                    to: [s]
                sinks:
                  s:
                    http:
                      urls: [%s]
                      mode: %s
                      body: %s
                      circuitBreaker: { failures: 5, openFor: 1s }
                    retry: { attempts: 0, backoff: 100ms..1s }
                """.formatted(topic, urls, mode, body));
    }

    static String urls(TestReceiver... rs) {
        return java.util.Arrays.stream(rs).map(r -> r.url("/in")).collect(Collectors.joining(", "));
    }

    @Test
    void fanoutDeliversEveryMessageToEveryUrl(@TempDir Path tmp) throws Exception {
        int n = 200;
        try (TestReceiver a = TestReceiver.start("a"); TestReceiver b = TestReceiver.start("b")) {
            Path file = config(tmp, "gw-fanout", "modes/fanout/#", urls(a, b), "fanout", "envelope");
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-fanout")) {
                pub.publishSeqs("modes/fanout/dev", 0, n);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(a.unique()).isEqualTo(n);
                    assertThat(b.unique()).isEqualTo(n);
                });
                assertThat(handled(g, "r")).isEqualTo(n);
                report("fanout", "sent " + n + "; " + a + "; " + b);
            }
        }
    }

    @Test
    void roundRobinSpreadsTheMessagesOverTheUrls(@TempDir Path tmp) throws Exception {
        int n = 150;
        try (TestReceiver a = TestReceiver.start("a"); TestReceiver b = TestReceiver.start("b"); TestReceiver c = TestReceiver.start("c")) {
            Path file = config(tmp, "gw-rr", "modes/rr/#", urls(a, b, c), "round-robin", "raw");
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-rr")) {
                pub.publishSeqs("modes/rr/dev", 0, n);
                Set<Long> union = new HashSet<>();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    union.clear();
                    for (TestReceiver r : List.of(a, b, c)) {
                        r.accepted().forEach(q -> union.add(TestReceiver.jsonSeq(q.body())));
                    }
                    assertThat(union).hasSize(n);
                });
                double retries = counter(g, "routemq.sink.retries");
                report("round-robin", "sent " + n + "; split a=" + a.acceptedCount() + " b=" + b.acceptedCount() + " c=" + c.acceptedCount()
                        + ", retries " + (long) retries);
                assertThat(List.of(a, b, c)).allSatisfy(r -> assertThat(r.acceptedCount()).isPositive());
                if (retries == 0) {
                    // no request failed, so the counter dealt exactly one in three to each
                    assertThat(List.of(a, b, c)).allSatisfy(r -> assertThat(r.acceptedCount()).isEqualTo(n / 3));
                }
            }
        }
    }

    @Test
    void failoverMovesToTheNextUrlWhileTheFirstFails(@TempDir Path tmp) throws Exception {
        int n = 100;
        try (TestReceiver bad = TestReceiver.start("failing"); TestReceiver good = TestReceiver.start("standby")) {
            bad.responder((k, path, body) -> 503);
            Path file = config(tmp, "gw-failover", "modes/failover/#", urls(bad, good), "failover", "raw");
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-failover")) {
                pub.publishSeqs("modes/failover/dev", 0, n);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(good.unique()).isEqualTo(n));
                assertThat(bad.acceptedCount()).isZero();
                assertThat(bad.requests()).as("the first url was tried").isPositive();
                assertThat(deadLetters(g)).isZero();
                report("failover", "sent " + n + "; first url answered 503 to " + bad.requests() + " request(s) (breaker opens after 5); "
                        + good);

                // the first url recovers: once its breaker (openFor 1s) lets a trial through, traffic returns to it
                bad.responder((k, path, body) -> 200);
                Thread.sleep(1_500);
                long standbyBefore = good.acceptedCount();
                pub.publishSeqs("modes/failover/dev", n, n);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    Set<Long> union = new HashSet<>();
                    for (TestReceiver r : List.of(bad, good)) r.accepted().forEach(q -> union.add(TestReceiver.jsonSeq(q.body())));
                    assertThat(union).hasSize(2 * n);
                });
                assertThat(bad.acceptedCount()).as("traffic returned to the first url").isPositive();
                report("failover", "after the first url recovered: it accepted " + bad.acceptedCount() + " of the next " + n
                        + ", standby " + (good.acceptedCount() - standbyBefore));
            }
        }
    }

    @Test
    void aReceiverAnswering503IsRetriedUntilItAccepts(@TempDir Path tmp) throws Exception {
        int n = 50;
        int failFirst = 12;
        try (TestReceiver r = TestReceiver.start("flaky")) {
            r.responder((k, path, body) -> k <= failFirst ? 503 : 200);
            Path file = config(tmp, "gw-503", "modes/flaky/#", urls(r), "failover", "envelope");
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-503")) {
                pub.publishSeqs("modes/flaky/dev", 0, n);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(r.unique()).isEqualTo(n));
                assertThat(r.refused()).isEqualTo(failFirst);
                assertThat(counter(g, "routemq.sink.retries")).isGreaterThanOrEqualTo(failFirst);
                assertThat(deadLetters(g)).isZero();
                report("retry-503", "sent " + n + "; 503 answered " + r.refused() + " time(s), retries counted "
                        + (long) counter(g, "routemq.sink.retries") + "; " + r);
            }
        }
    }

    @Test
    void a4xxDeadLettersTheMessageAndDlqReplayDeliversItAfterARestart(@TempDir Path tmp) throws Exception {
        int n = 5;
        try (TestReceiver r = TestReceiver.start("strict")) {
            r.responder((k, path, body) -> 422);
            Path file = config(tmp, "gw-dlq", "modes/dlq/#", urls(r), "failover", "envelope");
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-dlq")) {
                pub.publishSeqs("modes/dlq/dev", 0, n);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(deadLetters(g)).isEqualTo(n));
                assertThat(r.acceptedCount()).isZero();
                assertThat(r.refused()).as("a 4xx is not retried").isEqualTo(n);
                assertThat(counter(g, "routemq.sink.dead.lettered")).isEqualTo(n);
                g.stop(Duration.ofSeconds(10));
            }

            // the queue directory is free now: list and replay with the CLI
            String listed = cli(0, "dlq", "list", "--config", file.toString());
            assertThat(listed).contains("sink s: " + n + " dead letter(s)").contains("HTTP 422").contains("modes/dlq/dev");
            String replayed = cli(0, "dlq", "replay", "--config", file.toString(), "--all");
            assertThat(replayed).contains("sink s: " + n + " dead letter(s) moved back to the queue");
            report("dlq", "dlq list:\n" + listed.strip() + "\n  dlq replay: " + replayed.strip());

            r.responder((k, path, body) -> 200);
            try (Gateway g = GatewayTestSupport.startReady(load(file))) {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(r.unique()).isEqualTo(n));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(GatewayTestSupport.queued(g)).isZero());
                assertThat(deadLetters(g)).isZero();
                report("dlq", "after replay and restart: " + r);
            }
            assertThat(cli(0, "dlq", "list", "--config", file.toString())).contains("sink s: 0 dead letter(s)");
        }
    }

    /** Runs the real CLI and returns its standard output; checks the exit code. */
    static String cli(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new RouteMqCli().execute(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("routemq %s\nstdout: %s\nstderr: %s", String.join(" ", args), out, err).isEqualTo(expectedExit);
        return out.toString();
    }
}
