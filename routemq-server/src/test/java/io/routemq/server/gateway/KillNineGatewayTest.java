package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of the gateway mid-stream loses nothing. The gateway runs as {@code routemq run --config FILE} in a
 * child JVM, subscribed with a persistent session to a real broker (file persistence) in this JVM; a real publisher
 * sends 20,000 QoS 1 messages with unique sequence numbers; after the receiver has seen about 5,000 the child is
 * SIGKILLed, and a new child with the same config starts while the publisher keeps going. Every sequence number must
 * reach the HTTP receiver at least once.
 */
class KillNineGatewayTest {
    static final int MESSAGES = 20_000;
    static final int KILL_AFTER = 5_000;
    /** Until the kill, the publisher stays at most this far ahead of the receiver (delivery is slow on a busy machine). */
    static final int AHEAD_BEFORE_KILL = 3_000;
    static final int RATE_PER_SECOND = 1_500;
    static final Pattern ADMIN_PORT = Pattern.compile("health and metrics on http://[^:/]+:(\\d+)/health");

    @Test
    void killMinus9MidStreamLosesNoMessage(@TempDir Path tmp) throws Exception {
        EmbeddedBroker broker = GatewayTestSupport.startBroker(tmp.resolve("broker-data"), null);
        List<Process> children = new ArrayList<>();
        try (broker; TestReceiver r = TestReceiver.start("kill9-receiver")) {
            Path file = write(tmp, "routemq.yaml", """
                    brokers:
                      main:
                        url: mqtt://127.0.0.1:%d
                        clientId: routemq-kill9
                        cleanStart: false
                        sessionExpiry: 1h
                        reconnect: { initialDelay: 200ms, maxDelay: 2s }
                    routes:
                      - name: kill9
                        topic: kill9/{device}/data
                        qos: 1
                        to: [ingest]
                    sinks:
                      ingest:
                        http:
                          urls: [%s]
                          body: raw
                          circuitBreaker: { failures: 5, openFor: 1s }
                        retry: { attempts: 0, backoff: 200ms..2s }
                    queue:
                      dir: '%s'
                      fsync: always
                    admin:
                      enabled: true
                      port: 0
                    shutdown:
                      timeout: 10s
                    logging:
                      level: info
                    """.formatted(broker.tcpPort(), r.url("/ingest"), tmp.resolve("queue").toAbsolutePath()));

            Process first = startChild(file, 1);
            children.add(first);
            awaitHealthy(first, childLog(1));

            AtomicLong published = new AtomicLong();
            TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-kill9");
            AtomicBoolean killed = new AtomicBoolean();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishPaced(pub, published, r, killed));

            // kill mid-stream, once the receiver has seen KILL_AFTER; the publisher keeps going across the restart
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20))
                    .until(() -> r.unique() >= KILL_AFTER || publishing.isDone());
            assertThat(publishing).as("the publisher is still publishing at the kill").isNotDone();
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no goodbye to the broker
            killed.set(true);
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long seenAtKill = r.unique();
            long publishedAtKill = published.get();
            report("kill-9", "child 1 (pid " + first.pid() + ") killed with SIGKILL (exit " + first.exitValue() + ") after the receiver saw "
                    + seenAtKill + " distinct messages; " + publishedAtKill + " of " + MESSAGES + " published so far");
            Thread.sleep(1_500);

            Process second = startChild(file, 2);
            children.add(second);
            publishing.get(180, TimeUnit.SECONDS);
            pub.close();
            assertThat(pub.acked()).as("broker PUBACKs").isEqualTo(MESSAGES);
            long publishedDoneAfterRestart = published.get() - publishedAtKill;

            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(r.unique()).isEqualTo(MESSAGES));
            List<Long> lost = r.missing(MESSAGES);
            report("kill-9", "sent " + MESSAGES + ", delivered (unique) " + r.unique() + ", duplicates " + r.duplicates()
                    + ", lost " + lost.size() + " (HTTP requests accepted " + r.acceptedCount() + "; " + publishedDoneAfterRestart
                    + " published after the kill; child logs target/kill9-child-1.log, target/kill9-child-2.log)");
            assertThat(lost).isEmpty();

            second.destroy(); // SIGTERM: graceful stop
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("child 2 stops on SIGTERM").isTrue();
            String log2 = Files.readString(childLog(2), StandardCharsets.UTF_8);
            assertThat(log2).contains("session present: true").contains("stopping: no new messages").contains("GatewayRunner - stopped");
            report("kill-9", "child 2 stopped on SIGTERM with exit code " + second.exitValue() + " after a graceful stop");
        } finally {
            for (Process p : children) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * Publishes MESSAGES QoS 1 messages with unique seqs at about RATE_PER_SECOND (before the kill no further than
     * AHEAD_BEFORE_KILL ahead of the receiver), then waits for every PUBACK.
     */
    private static void publishPaced(TestPublisher pub, AtomicLong published, TestReceiver r, AtomicBoolean killed) {
        try {
            List<CompletableFuture<?>> all = new ArrayList<>(MESSAGES);
            long start = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                while (!killed.get() && i - r.unique() > AHEAD_BEFORE_KILL) {
                    Thread.sleep(5);
                    start = System.nanoTime() - i * 1_000_000_000L / RATE_PER_SECOND; // no catch-up burst afterwards
                }
                all.add(pub.publish("kill9/dev" + (i % 8) + "/data", "{\"seq\":" + i + "}"));
                published.incrementAndGet();
                if (i % 50 == 49) {
                    long due = start + (i + 1) * 1_000_000_000L / RATE_PER_SECOND;
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
            TestPublisher.awaitAll(all);
        } catch (Exception e) {
            throw new IllegalStateException("publisher failed", e);
        }
    }

    static Path childLog(int n) throws IOException {
        Path dir = Path.of("target").toAbsolutePath();
        Files.createDirectories(dir);
        return dir.resolve("kill9-child-" + n + ".log");
    }

    /** {@code java -cp <this classpath> io.routemq.server.cli.RouteMqCli run --config FILE}, output to target/. */
    static Process startChild(Path config, int n) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        if (Runtime.version().feature() >= 24) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.routemq.server.cli.RouteMqCli");
        cmd.addAll(List.of("run", "--config", config.toString()));
        Path log = childLog(n);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        report("kill-9", "child " + n + " started, pid " + p.pid() + ", output in " + log);
        return p;
    }

    /** Waits for the child's "running" line (it names the admin port), then for GET /health to answer 200. */
    static void awaitHealthy(Process child, Path log) {
        int[] port = {-1};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!child.isAlive()) throw new AssertionError("the child exited with " + child.exitValue() + ":\n" + Files.readString(log));
            Matcher m = ADMIN_PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) port[0] = Integer.parseInt(m.group(1));
            return port[0] > 0;
        });
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200;
        });
    }
}
