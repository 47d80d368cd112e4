package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.queue.QueueStore;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.SinkConfig;
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
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code discard: {}} sink in a running gateway: messages pass the route and the durable queue, count as delivered
 * and are committed, beside an HTTP sink of the same route that receives every one of them.
 */
@ExtendWith(SharedBroker.class)
class DiscardSinkGatewayTest {

    @Test
    void aDiscardSinkTakesEveryMessageThroughItsQueueBesideAnHttpSink(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        int n = 1500; // more than one window of the discard sink (DiscardSink.BATCH)
        try (TestReceiver r = TestReceiver.start("discard-beside")) {
            Path file = write(tmp, "routemq.yaml", common(broker.tcpPort(), "gw-discard", tmp.resolve("queue"), false) + """
                    routes:
                      - { name: both, topic: 'discard/{device}/t', to: [devnull, ingest] }
                    sinks:
                      devnull:
                        discard: {}
                      ingest:
                        http: { urls: ['%s'], body: envelope }
                    """.formatted(r.url("/in")));
            GatewayConfig config = load(file);
            assertThat(config.sinks().get("devnull").type()).isEqualTo(new SinkConfig.Discard());
            assertThat(config.sinks().get("devnull").http()).isNull();
            try (Gateway g = GatewayTestSupport.startReady(config); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-discard")) {
                pub.publishSeqs("discard/d1/t", 0, n);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(r.unique()).isEqualTo(n);
                    assertThat(counter(g, "routemq.sink.delivered", "sink", "devnull")).isEqualTo(n);
                    assertThat(queued(g)).isZero();
                });
                assertThat(handled(g, "both")).isEqualTo(n);
                assertThat(counter(g, "routemq.sink.delivered", "sink", "ingest")).isEqualTo(n);
            }
            // Committed: a new start finds nothing queued for either sink.
            try (QueueStore store = QueueStore.open(config.queue())) {
                assertThat(DeadLetterCli.queues(store, config, null)).containsExactly("devnull", "ingest");
                assertThat(store.queue("devnull").sizeRecords()).isZero();
                assertThat(store.queue("ingest").sizeRecords()).isZero();
                assertThat(store.queue("devnull").deadLetters().size()).isZero();
            }
        }
    }
}
