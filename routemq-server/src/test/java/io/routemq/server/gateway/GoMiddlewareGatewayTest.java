package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.server.config.AdminConfig;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.LoadedConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.routemq.server.gateway.GatewayTestSupport.filtered;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Go EMQX middleware's example config (routemq-server/src/test/resources/config/go-example.json), run by the
 * gateway unchanged except for the broker port and the callback addresses: a real broker, a real QoS 1 publisher and
 * two real HTTP receivers. Checks delivery to every callback address, the excludeTopics filter and the Go body.
 */
@ExtendWith(SharedBroker.class)
class GoMiddlewareGatewayTest {
    static final Pattern GO_BODY = Pattern.compile("\\{\"body\":\"(\\d+)\",\"header\":\"(from/v1/[a-z0-9/]+)\"\\}");
    static final String SPECIAL_PAYLOAD = "{\"header\":{\"msgId\":1,\"identifier\":\"pressure\"},\"body\":{\"value\":\"20\",\"limit\":1e21}}";
    static final String SPECIAL_BODY = "{\"body\":\"{\\\"limit\\\":1e+21,\\\"value\\\":\\\"20\\\"}\",\"header\":\"{\\\"identifier\\\":\\\"pressure\\\",\\\"msgId\\\":1}\"}";
    static final int NORMAL = 100;
    static final int EXCLUDED = 20;

    static EmbeddedBroker broker;

    @BeforeAll
    static void broker(EmbeddedBroker shared) {
        broker = shared;
    }

    static String example() throws Exception {
        try (InputStream in = GoMiddlewareGatewayTest.class.getResourceAsStream("/config/go-example.json")) {
            assertThat(in).as("config/go-example.json on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The example with only its broker port changed; the queue and admin (defaults in the Go format) moved out of the way. */
    static GatewayConfig goConfig(String text, Path queueDir) {
        String adapted = text.replaceAll("\"broker_port\"\\s*:\\s*11883", "\"broker_port\": " + broker.tcpPort());
        assertThat(adapted).doesNotContain("11883");
        LoadedConfig loaded = new ConfigLoader(Map.of()).parse(adapted, "go-example.json");
        assertThat(loaded.dialect()).isEqualTo(LoadedConfig.Dialect.GO_MIDDLEWARE);
        GatewayConfig c = loaded.config();
        // The Go format has no queue or admin section: its defaults (./data/queue, port 9090) would collide between tests.
        return new GatewayConfig(c.brokers(), c.broker(), c.routes(), c.sinks(),
                GatewayConfig.defaultQueue().toBuilder().dir(queueDir).fsync(io.routemq.queue.FsyncPolicy.always()).build(),
                new AdminConfig(false, "127.0.0.1", 0), c.logging(), c.shutdown());
    }

    static Long goSeq(byte[] body) {
        Matcher m = GO_BODY.matcher(new String(body, StandardCharsets.UTF_8));
        return m.matches() ? Long.parseLong(m.group(1)) : null;
    }

    /** Publishes NORMAL messages on from/v1/dev*, EXCLUDED on from/v1/aaa/* and one with nested header/body. */
    static void publishMix(TestPublisher pub) throws Exception {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < NORMAL; i++) {
            String topic = "from/v1/dev" + (i % 5) + "/data";
            all.add(pub.publish(topic, "{\"header\":\"" + topic + "\",\"body\":\"" + i + "\"}"));
            if (i % 5 == 0 && i / 5 < EXCLUDED) {
                String ex = "from/v1/aaa/dev" + (i / 5) + "/data";
                all.add(pub.publish(ex, "{\"header\":\"" + ex + "\",\"body\":\"" + (10_000 + i / 5) + "\"}"));
            }
        }
        all.add(pub.publish("from/v1/special", SPECIAL_PAYLOAD));
        TestPublisher.awaitAll(all);
        assertThat(pub.failed()).isZero();
    }

    /** Checks one path's accepted requests: every normal seq once or more, the Go body exactly, no excluded topic. */
    static void assertGoDeliveries(String test, TestReceiver r, String path) {
        List<TestReceiver.Request> reqs = r.accepted().stream().filter(q -> q.path().equals(path)).toList();
        List<String> bodies = reqs.stream().map(TestReceiver.Request::text).toList();
        assertThat(bodies).noneMatch(b -> b.contains("from/v1/aaa/"));
        assertThat(bodies).contains(SPECIAL_BODY);
        assertThat(reqs).allSatisfy(q -> assertThat(q.contentType()).startsWith("application/json"));
        List<String> normal = bodies.stream().filter(b -> !b.equals(SPECIAL_BODY)).toList();
        assertThat(normal).allSatisfy(b -> {
            Matcher m = GO_BODY.matcher(b);
            assertThat(m.matches()).as("Go body %s", b).isTrue();
            long seq = Long.parseLong(m.group(1));
            assertThat(m.group(2)).isEqualTo("from/v1/dev" + (seq % 5) + "/data");
        });
        var seqs = normal.stream().map(b -> goSeq(b.getBytes(StandardCharsets.UTF_8))).collect(Collectors.toSet());
        assertThat(seqs).hasSize(NORMAL);
        report(test, r.name() + path + ": " + reqs.size() + " requests accepted, " + seqs.size() + " distinct messages, "
                + (normal.size() - seqs.size()) + " duplicate(s), 0 excluded topics; sample body " + normal.get(0));
    }

    @Test
    void theExampleConfigDeliversEveryMessageToBothReceiversAndHonoursExcludeTopics(@TempDir Path tmp) throws Exception {
        try (TestReceiver a = TestReceiver.start("receiverA"); TestReceiver b = TestReceiver.start("receiverB")) {
            a.seqOf(GoMiddlewareGatewayTest::goSeq);
            b.seqOf(GoMiddlewareGatewayTest::goSeq);
            String text = example()
                    .replace("\"http://127.0.0.1:18000/api/test\"", "\"" + a.url("/api/test") + "\"")
                    .replace("\"http://127.0.0.1:18000/api/test2\"", "\"" + b.url("/api/test2") + "\"");
            assertThat(text).doesNotContain("18000");
            GatewayConfig config = goConfig(text, tmp.resolve("queue"));
            assertThat(config.routes()).extracting(r -> r.name()).containsExactly("test1", "test2");

            try (Gateway g = GatewayTestSupport.startReady(config); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "go-pub-1")) {
                publishMix(pub);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(a.unique()).isEqualTo(NORMAL);
                    assertThat(b.unique()).isEqualTo(NORMAL);
                    assertThat(a.accepted()).anyMatch(q -> q.text().equals(SPECIAL_BODY));
                    assertThat(b.accepted()).anyMatch(q -> q.text().equals(SPECIAL_BODY));
                    // every excluded message was seen by both routes and counted as filtered (not lost, not forwarded)
                    assertThat(filtered(g, "test1")).isEqualTo(EXCLUDED);
                    assertThat(filtered(g, "test2")).isEqualTo(EXCLUDED);
                });
                assertThat(a.accepted()).allMatch(q -> q.path().equals("/api/test"));
                assertThat(b.accepted()).allMatch(q -> q.path().equals("/api/test2"));
                assertGoDeliveries("go-example", a, "/api/test");
                assertGoDeliveries("go-example", b, "/api/test2");
                report("go-example", "filtered by excludeTopics: test1=" + filtered(g, "test1") + " test2=" + filtered(g, "test2")
                        + ", handled test1=" + GatewayTestSupport.handled(g, "test1") + " test2=" + GatewayTestSupport.handled(g, "test2"));
            }
        }
    }

    @Test
    void severalCallbackAddressesEachGetEveryMessage(@TempDir Path tmp) throws Exception {
        try (TestReceiver a = TestReceiver.start("receiverA"); TestReceiver b = TestReceiver.start("receiverB")) {
            // one sub_deal_config with two callback addresses: the Go program POSTs every message to both
            String text = example()
                    .replace("go-mqtt-client-", "go-fan-client-")
                    .replace("\"http://127.0.0.1:18000/api/test\"", "\"" + a.url("/api/fan") + "\", \"" + b.url("/api/fan") + "\"")
                    .replace("\"http://127.0.0.1:18000/api/test2\"", "\"" + a.url("/api/fan2") + "\", \"" + b.url("/api/fan2") + "\"");
            GatewayConfig config = goConfig(text, tmp.resolve("queue"));
            assertThat(config.sinks().get("test1").http().urls()).hasSize(2);

            try (Gateway g = GatewayTestSupport.startReady(config); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "go-pub-2")) {
                publishMix(pub);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    for (TestReceiver r : List.of(a, b)) {
                        for (String path : List.of("/api/fan", "/api/fan2")) {
                            assertThat(r.accepted().stream().filter(q -> q.path().equals(path)).map(q -> goSeq(q.body()))
                                    .filter(s -> s != null).distinct().count()).as("%s %s", r.name(), path).isEqualTo(NORMAL);
                        }
                    }
                    assertThat(filtered(g, "test1")).isEqualTo(EXCLUDED);
                    assertThat(filtered(g, "test2")).isEqualTo(EXCLUDED);
                });
                Thread.sleep(300); // let the special message's requests land if they trail
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (TestReceiver r : List.of(a, b)) {
                        assertThat(r.accepted().stream().filter(q -> q.text().equals(SPECIAL_BODY)).count()).isGreaterThanOrEqualTo(2);
                    }
                });
                for (TestReceiver r : List.of(a, b)) {
                    assertGoDeliveries("go-fanout", r, "/api/fan");
                    assertGoDeliveries("go-fanout", r, "/api/fan2");
                }
            }
        }
    }
}
