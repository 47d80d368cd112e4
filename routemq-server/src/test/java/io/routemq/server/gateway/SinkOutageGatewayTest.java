package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.counter;
import static io.routemq.server.gateway.GatewayTestSupport.handled;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.queued;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sink is down (its port closed) for 30 s while 10,000 QoS 1 messages arrive; the gateway acknowledges them as it
 * stores them, keeps retrying with a short backoff, and once the receiver is back on the same port every message is
 * delivered (duplicates allowed and counted).
 */
@ExtendWith(SharedBroker.class)
class SinkOutageGatewayTest {
    static final int MESSAGES = 10_000;
    static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void everyMessageArrivesAfterA30SecondOutage(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        try (TestReceiver r = TestReceiver.start("outage-receiver")) {
            Path file = write(tmp, "routemq.yaml", common(broker.tcpPort(), "gw-outage", tmp.resolve("queue"), false) + """
                    routes:
                      - name: outage
                        topic: outage/{device}/data
                        to: [ingest]
                    sinks:
                      ingest:
                        http:
                          urls: [%s]
                          body: raw
                          circuitBreaker: { failures: 5, openFor: 1s }
                        retry: { attempts: 0, backoff: 200ms..2s }
                    """.formatted(r.url("/ingest")));
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-outage")) {
                r.down();
                long downAt = System.nanoTime();
                for (int part = 0; part < 10; part++) {
                    pub.publishSeqs("outage/dev" + part + "/data", part * (MESSAGES / 10L), MESSAGES / 10);
                }
                assertThat(pub.acked()).isEqualTo(MESSAGES);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(handled(g, "outage")).isEqualTo(MESSAGES));
                long enqueuedMs = (System.nanoTime() - downAt) / 1_000_000;
                long depth = queued(g);
                assertThat(r.acceptedCount()).isZero();
                assertThat(depth).as("everything waits in the durable queue").isEqualTo(MESSAGES);
                report("sink-outage", MESSAGES + " messages acknowledged and queued " + enqueuedMs + " ms after the receiver went down; queue depth " + depth);

                long left = OUTAGE.toNanos() - (System.nanoTime() - downAt);
                if (left > 0) Thread.sleep(left / 1_000_000);
                long outageMs = (System.nanoTime() - downAt) / 1_000_000;
                double retriesDuringOutage = counter(g, "routemq.sink.retries");
                r.up();
                long upAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> assertThat(r.unique()).isEqualTo(MESSAGES));
                long drainMs = (System.nanoTime() - upAt) / 1_000_000;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(queued(g)).isZero());
                assertThat(r.missing(MESSAGES)).isEmpty();
                assertThat(GatewayTestSupport.deadLetters(g)).isZero();
                report("sink-outage", "sent " + MESSAGES + ", broker-acked " + pub.acked() + ", outage " + outageMs + " ms (port closed), retries during outage "
                        + (long) retriesDuringOutage + "; after the receiver came back on port " + r.port() + ": delivered unique " + r.unique()
                        + ", duplicates " + r.duplicates() + ", lost " + r.missing(MESSAGES).size() + ", requests " + r.requests()
                        + ", drained in " + drainMs + " ms");
            }
        }
    }
}
