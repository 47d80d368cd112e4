package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.counter;
import static io.routemq.server.gateway.GatewayTestSupport.filtered;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.startReady;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A YAML route with {@code middleware: [{rateLimit: ...}]} end to end: a real broker, the gateway, a real HTTP sink.
 * The messages over the limit are acknowledged and counted as dropped; the rest are forwarded. Once in this process,
 * once in the machine's Redis.
 */
@ExtendWith(SharedBroker.class)
class ShippedMiddlewareGatewayTest {

    private static String config(EmbeddedBroker broker, Path tmp, String clientId, TestReceiver ingest, TestReceiver invalid,
                                 String store) throws IOException {
        Path schema = write(tmp, "schema.json", "{\"type\": \"object\", \"required\": [\"seq\", \"temp\"]}");
        return common(broker.tcpPort(), clientId, tmp.resolve("queue"), false) + """
                routes:
                  - name: limited-%s
                    topic: lim-%s/{id}/data
                    middleware:
                      - rateLimit: { key: param.id, tokenBucket: { rate: 1/h, burst: 3 }, store: %s }
                    to: [ingest]
                  - name: checked-%s
                    topic: val-%s/{id}
                    middleware:
                      - validate: { schema: '%s', deadLetter: invalid }
                    to: [ingest]
                sinks:
                  ingest:
                    http: { urls: ['%s'], body: raw }
                  invalid:
                    http: { urls: ['%s'], body: envelope }
                """.formatted(store, store, store, store, store, schema, ingest.url("/ingest"), invalid.url("/invalid"))
                + (store.equals("redis") ? "redis: { uri: redis://127.0.0.1:6379 }\n" : ""); // store: redis needs the section
    }

    private static void run(EmbeddedBroker broker, Path tmp, String store) throws Exception {
        String route = "limited-" + store;
        try (TestReceiver ingest = TestReceiver.start("ingest"); TestReceiver invalid = TestReceiver.start("invalid")) {
            Path file = write(tmp, "routemq.yaml", config(broker, tmp, "gw-ratelimit-" + store, ingest, invalid, store));
            try (Gateway g = startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-ratelimit-" + store)) {
                for (int i = 0; i < 10; i++) pub.publish("lim-" + store + "/a/data", "{\"seq\":" + i + "}").get();
                for (int i = 10; i < 12; i++) pub.publish("lim-" + store + "/b/data", "{\"seq\":" + i + "}").get();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(ingest.unique()).isEqualTo(5);
                    assertThat(counter(g, "routemq.middleware.messages", "middleware", "rateLimit", "route", route, "result", "dropped"))
                            .isEqualTo(7);
                });
                assertThat(ingest.has(0)).isTrue();
                assertThat(ingest.has(2)).isTrue();
                assertThat(ingest.has(3)).as("the 4th message of device a is over its burst").isFalse();
                assertThat(ingest.has(11)).isTrue();
                assertThat(filtered(g, route)).isEqualTo(7);
                assertThat(counter(g, "routemq.middleware.messages", "middleware", "rateLimit", "result", "redis_fallback")).isZero();
                report("shipped-middleware", "rateLimit store " + store + ": forwarded " + ingest.unique() + " of 12, dropped "
                        + filtered(g, route));

                // validate with a dead-letter sink: the valid message is forwarded, the invalid one goes to 'invalid' with its errors
                pub.publish("val-" + store + "/1", "{\"seq\":100,\"temp\":20}").get();
                pub.publish("val-" + store + "/1", "{\"seq\":101}").get();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(ingest.has(100)).isTrue();
                    assertThat(invalid.unique()).isEqualTo(1);
                });
                assertThat(ingest.has(101)).isFalse();
                assertThat(invalid.has(101)).isTrue();
                assertThat(invalid.accepted().get(0).text()).contains("routemq-validation-errors").contains("temp");
                assertThat(counter(g, "routemq.middleware.messages", "middleware", "validate", "result", "dead_lettered")).isEqualTo(1);
            }
        }
    }

    @Test
    void yamlRateLimitDropsWhatIsOverTheLimitLocally(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        run(broker, tmp, "local");
    }

    @Test
    void yamlRateLimitDropsWhatIsOverTheLimitInRedis(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            assumeTrue(s.isConnected());
        } catch (IOException e) {
            assumeTrue(false, "no Redis on 127.0.0.1:6379 (" + e.getMessage() + "): start redis-server to run this test");
        }
        try (RedisConnections redis = RedisConnections.open(RedisConfig.defaults())) {
            List<String> stale = redis.shared().sync().keys("routemq:ratelimit:limited-redis:*");
            if (!stale.isEmpty()) redis.shared().sync().del(stale.toArray(String[]::new));
            run(broker, tmp, "redis");
            assertThat(redis.shared().sync().keys("routemq:ratelimit:limited-redis:*"))
                    .containsExactlyInAnyOrder("routemq:ratelimit:limited-redis:a", "routemq:ratelimit:limited-redis:b");
            redis.shared().sync().del("routemq:ratelimit:limited-redis:a", "routemq:ratelimit:limited-redis:b");
        }
    }
}
