package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.deadLetters;
import static io.routemq.server.gateway.GatewayTestSupport.handled;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.queued;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink's own queue bound with {@code overflow: dead-letter}: while the sink is down, messages beyond the bound go
 * straight to the dead-letter queue. Every message is acknowledged and accounted for, queued or dead-lettered;
 * none is dropped.
 */
@ExtendWith(SharedBroker.class)
class QueueOverflowGatewayTest {
    static EmbeddedBroker broker;

    @BeforeAll
    static void broker(EmbeddedBroker shared) {
        broker = shared;
    }

    @Test
    void messagesBeyondTheSinksBoundAreDeadLetteredNotDropped(@TempDir Path tmp) throws Exception {
        int n = 400;
        byte[] payload = new byte[8 * 1024];
        try (TestReceiver r = TestReceiver.start("down-receiver")) {
            r.down();
            Path file = write(tmp, "routemq.yaml", common(broker.tcpPort(), "gw-overflow", tmp.resolve("queue"), false) + """
                    routes:
                      - name: big
                        topic: overflow/#
                        to: [small]
                    sinks:
                      small:
                        http:
                          urls: [%s]
                          body: raw
                        retry: { attempts: 0, backoff: 1s..2s }
                        queue: { maxBytes: 1MB, overflow: dead-letter }
                    """.formatted(r.url("/in")));
            Gateway g = GatewayTestSupport.startReady(load(file));
            try (TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-overflow")) {
                var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
                for (int i = 0; i < n; i++) futures.add(pub.publish("overflow/dev/" + i, payload));
                TestPublisher.awaitAll(futures);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handled(g, "big")).isEqualTo(n));
                long q = queued(g);
                long dl = deadLetters(g);
                report("queue-overflow", "sent " + n + " x 8KB into a 1MB sink queue with the sink down: queued " + q
                        + ", dead-lettered " + dl + ", acknowledged " + pub.acked());
                assertThat(pub.acked()).isEqualTo(n);
                assertThat(q + dl).as("every message is queued or dead-lettered").isEqualTo(n);
                assertThat(dl).as("the bound was reached").isPositive();
                assertThat(q * payload.length).as("the queue stays within its bound").isLessThanOrEqualTo(1024 * 1024);
            } finally {
                g.stop(Duration.ofSeconds(2));
            }
        }
    }
}
