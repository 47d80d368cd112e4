package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.handled;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.queued;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The graceful stop that SIGTERM triggers ({@link Gateway#stop(Duration)}): with the sink up it delivers what is
 * queued before it returns; with the sink down it gives up at the deadline, keeps the rest in the durable queue, and
 * the next start delivers it.
 */
@ExtendWith(SharedBroker.class)
class GracefulStopGatewayTest {
    static EmbeddedBroker broker;

    @BeforeAll
    static void broker(EmbeddedBroker shared) {
        broker = shared;
    }

    static Path config(Path dir, String clientId, String topic, TestReceiver r) throws Exception {
        return write(dir, "routemq.yaml", common(broker.tcpPort(), clientId, dir.resolve("queue"), false) + """
                routes:
                  - name: stop
                    topic: %s
                    to: [ingest]
                sinks:
                  ingest:
                    http:
                      urls: [%s]
                      body: raw
                      maxInFlight: 4
                      circuitBreaker: { failures: 5, openFor: 1s }
                    retry: { attempts: 0, backoff: 200ms..2s }
                """.formatted(topic, r.url("/in")));
    }

    @Test
    void stopDeliversWhatIsQueuedWhenTheSinkIsUp(@TempDir Path tmp) throws Exception {
        int n = 300;
        CountDownLatch open = new CountDownLatch(1);
        try (TestReceiver r = TestReceiver.start("slow-receiver")) {
            // the receiver is up but holds every request until the stop has begun, so the queue is full at stop time
            r.responder((k, path, body) -> open.await(60, TimeUnit.SECONDS) ? 200 : 503);
            Gateway g = GatewayTestSupport.startReady(load(config(tmp, "gw-stop-up", "stop/up/#", r)));
            try (TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-stop-up")) {
                pub.publishSeqs("stop/up/dev", 0, n);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handled(g, "stop")).isEqualTo(n));
                long depth = queued(g);
                assertThat(depth).isEqualTo(n);
                assertThat(r.acceptedCount()).isZero();

                long t0 = System.nanoTime();
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> g.stop(Duration.ofSeconds(60)));
                Thread.sleep(500);
                assertThat(stopping).as("stop waits for the queue to drain").isNotDone();
                open.countDown();
                stopping.get(90, TimeUnit.SECONDS);
                long stopMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.unique()).as("delivered before stop returned").isEqualTo(n);
                assertThat(r.missing(n)).isEmpty();
                report("graceful-stop", "sink up: queue depth " + depth + " at stop; stop returned after " + stopMs + " ms with "
                        + r.unique() + "/" + n + " delivered (duplicates " + r.duplicates() + ")");
            } finally {
                open.countDown();
                g.close();
            }
        }
    }

    @Test
    void afterAStopWithTheSinkDownTheNextStartDeliversTheRest(@TempDir Path tmp) throws Exception {
        int n = 300;
        try (TestReceiver r = TestReceiver.start("down-receiver")) {
            Path file = config(tmp, "gw-stop-down", "stop/down/#", r);
            r.down();
            long leftQueued;
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-stop-down")) {
                pub.publishSeqs("stop/down/dev", 0, n);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handled(g, "stop")).isEqualTo(n));
                long t0 = System.nanoTime();
                g.stop(Duration.ofSeconds(3));
                long stopMs = (System.nanoTime() - t0) / 1_000_000;
                leftQueued = n - r.unique();
                assertThat(r.unique()).isZero();
                assertThat(stopMs).as("stop keeps its deadline").isLessThan(30_000);
                report("graceful-stop", "sink down: stop(3s) returned after " + stopMs + " ms with " + leftQueued + " message(s) left in the queue");
            }
            r.up();
            try (Gateway g = GatewayTestSupport.startReady(load(file))) {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(r.unique()).isEqualTo(n));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(queued(g)).isZero());
                assertThat(r.missing(n)).isEmpty();
                report("graceful-stop", "restart delivered the rest: " + r.unique() + "/" + n + " (duplicates " + r.duplicates() + ")");
            }
        }
    }
}
