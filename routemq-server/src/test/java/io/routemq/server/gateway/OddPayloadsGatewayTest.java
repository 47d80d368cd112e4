package io.routemq.server.gateway;

import io.routemq.server.config.GatewayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payloads that break naive forwarders, through the gateway and its own embedded broker (maxPacketSize raised to
 * 16MB): a 10 MB binary payload forwarded raw, and a payload that is not UTF-8 forwarded in an envelope as base64.
 */
class OddPayloadsGatewayTest {
    @TempDir
    static Path tmp;
    static TestReceiver receiver;
    static Gateway gateway;
    static TestPublisher publisher;

    @BeforeAll
    static void start() throws Exception {
        receiver = TestReceiver.start("odd-receiver");
        Path file = write(tmp, "routemq.yaml", """
                broker:
                  enabled: true
                  port: 0
                  inMemory: true
                  allowAnonymous: true
                  maxPacketSize: 16MB
                routes:
                  - name: big
                    topic: odd/big/{id}
                    to: [raw]
                  - name: binary
                    topic: odd/bin/{id}
                    to: [env]
                sinks:
                  raw:
                    http: { urls: ['%s'], body: raw }
                  env:
                    http: { urls: ['%s'], body: envelope }
                queue:
                  dir: '%s'
                  fsync: always
                admin:
                  enabled: false
                """.formatted(receiver.url("/raw"), receiver.url("/env"), tmp.resolve("queue").toAbsolutePath()));
        GatewayConfig config = load(file);
        assertThat(config.broker().config().maxPacketSize()).isEqualTo(16L << 20);
        gateway = GatewayTestSupport.startReady(config);
        int port = URI.create(gateway.embeddedBrokerUri()).getPort();
        publisher = TestPublisher.connect(port, "pub-odd");
    }

    @AfterAll
    static void stop() {
        if (publisher != null) publisher.close();
        if (gateway != null) gateway.close();
        if (receiver != null) receiver.close();
    }

    @Test
    void aTenMegabytePayloadArrivesByteForByteAsARawBody() throws Exception {
        byte[] payload = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        publisher.publish("odd/big/1", payload).get();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> receiver.accepted().stream().anyMatch(q -> q.path().equals("/raw")));
        List<TestReceiver.Request> got = receiver.accepted().stream().filter(q -> q.path().equals("/raw")).toList();
        assertThat(got).isNotEmpty().allSatisfy(q -> { // at least once: a retried request may arrive twice
            assertThat(q.body()).hasSize(payload.length).isEqualTo(payload);
            assertThat(q.contentType()).isEqualTo("application/octet-stream");
        });
        report("odd-payloads", "10 MB raw payload delivered intact: " + got.get(0).body().length + " bytes, Content-Type " + got.get(0).contentType());
    }

    @Test
    void aPayloadThatIsNotUtf8ArrivesAsBase64InTheEnvelope() throws Exception {
        byte[] payload = {(byte) 0xff, (byte) 0xfe, 0x00, 'A', (byte) 0xc3, 0x28, (byte) 0x80, '\n', (byte) 0xf0, (byte) 0x9f};
        publisher.publish("odd/bin/7", payload).get();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> receiver.accepted().stream().anyMatch(q -> q.path().equals("/env")));
        List<TestReceiver.Request> got = receiver.accepted().stream().filter(q -> q.path().equals("/env")).toList();
        assertThat(got).isNotEmpty();
        JsonNode env = JsonMapper.builder().build().readTree(got.get(0).body());
        assertThat(got.get(0).contentType()).startsWith("application/json");
        assertThat(env.get("route").asString()).isEqualTo("binary");
        assertThat(env.get("topic").asString()).isEqualTo("odd/bin/7");
        assertThat(env.get("params").get("id").asString()).isEqualTo("7");
        assertThat(env.get("payloadEncoding").asString()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(env.get("payload").asString())).isEqualTo(payload);
        report("odd-payloads", "non-UTF-8 payload delivered intact as base64: " + got.get(0).text());
    }
}
