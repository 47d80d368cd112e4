package io.routemq.server.gateway;

import io.routemq.core.Match;
import io.routemq.core.Route;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.middleware.MiddlewareMetrics;
import io.routemq.redis.RedisConnections;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.RouteConfig;
import io.routemq.server.config.RoutePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Route filters and exclude regexes, on real route tables and messages. */
class RouteFiltersTest {
    private static final String PATTERN = "plant/{line}/machine/{id}/telemetry";
    private final RouteTable table = table();

    private static RouteTable table() {
        Router router = Router.create();
        router.on(PATTERN, ctx -> { }).name("t");
        return router.build();
    }

    private static RouteConfig route(List<String> excludeRegex, List<RouteConfig.Filter> filters) {
        return new RouteConfig("t", PATTERN, "embedded", 1, null, List.of(), excludeRegex, filters, List.of("s"), false, true);
    }

    private boolean passes(RouteConfig route, String topic, String payload, MessageProperties props) {
        BiPredicate<Message, Match> p = RouteFilters.of(route, JsonMapper.builder().build());
        Message m = Message.of(topic, payload).withProperties(props);
        return p.test(m, table.match(topic));
    }

    private boolean passes(RouteConfig route, String topic, String payload) {
        return passes(route, topic, payload, MessageProperties.NONE);
    }

    @Test
    void payloadComparisonsAreNumericAndNeedJson() {
        RouteConfig hot = route(List.of(), List.of(new RouteConfig.Filter("payload.sensor.temp", RouteConfig.Op.GT, 30)));
        assertThat(passes(hot, "plant/a/machine/1/telemetry", "{\"sensor\":{\"temp\":30.5}}")).isTrue();
        assertThat(passes(hot, "plant/a/machine/1/telemetry", "{\"sensor\":{\"temp\":\"29\"}}")).isFalse();
        assertThat(passes(hot, "plant/a/machine/1/telemetry", "{\"sensor\":{}}")).as("missing field").isFalse();
        assertThat(passes(hot, "plant/a/machine/1/telemetry", "not json")).as("payload not JSON").isFalse();
    }

    @Test
    void paramsUserPropertiesRegexAndInAllMustHold() {
        RouteConfig r = route(List.of("/debug/"), List.of(
                new RouteConfig.Filter("param.line", RouteConfig.Op.IN, List.of("a", "b")),
                new RouteConfig.Filter("userProperty.source", RouteConfig.Op.MATCHES, "^plc-\\d+$"),
                new RouteConfig.Filter("payload.items.1", RouteConfig.Op.EQUALS, 7)));
        MessageProperties plc = MessageProperties.builder().userProperty("source", "plc-12").build();
        assertThat(passes(r, "plant/a/machine/1/telemetry", "{\"items\":[1,7.0]}", plc)).isTrue();
        assertThat(passes(r, "plant/c/machine/1/telemetry", "{\"items\":[1,7]}", plc)).as("line not in list").isFalse();
        assertThat(passes(r, "plant/a/machine/1/telemetry", "{\"items\":[1,7]}", MessageProperties.NONE)).as("no property").isFalse();
        assertThat(passes(r, "plant/a/machine/1/telemetry", "{\"items\":[1,8]}", plc)).as("array element differs").isFalse();
    }

    @Test
    void excludeRegexIsFoundAnywhereInTheTopic() {
        RouteConfig r = route(List.of("machine/9"), List.of());
        assertThat(passes(r, "plant/a/machine/1/telemetry", "{}")).isTrue();
        assertThat(passes(r, "plant/a/machine/9/telemetry", "{}")).isFalse();
    }

    /**
     * A route from the config file runs on the thread that received the message (non-blocking) exactly when each of
     * its middleware never blocks; redis stores, a delaying rate limit and a dead-lettering validation may block.
     */
    @Test
    void aConfigRouteIsNonBlockingWhenEachOfItsMiddlewareIs(@TempDir Path dir) throws IOException {
        Path schema = Files.writeString(dir.resolve("object.json"), "{\"type\": \"object\"}");
        GatewayConfig c = new ConfigLoader(Map.of()).parse("""
                brokers: { plant: { url: mqtt://127.0.0.1 } }
                redis: { uri: redis://127.0.0.1:6379 }
                routes:
                  - { name: plain, topic: a/plain, to: [s] }
                  - name: local
                    topic: a/{x}/local
                    filters: [ { field: param.x, exists: true } ]
                    middleware:
                      - filter: { field: payload.t, gt: 30 }
                      - rateLimit: { key: topic, tokenBucket: { rate: 10/s } }
                      - dedup: { key: payload, ttl: 1m }
                      - auth: { tokens: [t0k3n] }
                      - validate: { schema: %s }
                      - log: { sample: 0.5 }
                    to: [s]
                  - { name: delay, topic: a/delay, middleware: [ { rateLimit: { key: topic, tokenBucket: { rate: 10/s }, onLimit: delay } } ], to: [s] }
                  - { name: shared, topic: a/shared, middleware: [ { dedup: { key: payload, ttl: 1m, store: redis } } ], to: [s] }
                  - { name: deadletter, topic: a/dl, middleware: [ { validate: { schema: %s, deadLetter: s } } ], to: [s] }
                  - { name: mixed, topic: a/mixed, middleware: [ { log: {} }, { rateLimit: { key: topic, tokenBucket: { rate: 10/s }, store: redis } } ], to: [s] }
                sinks: { s: { discard: {} } }
                """.formatted(schema, schema), "routemq.yaml").config();
        Supplier<RedisConnections> noRedis = () -> {
            throw new AssertionError("no middleware asks for Redis before its first message");
        };
        RouteTable routes = RoutePlan.router(c, r -> RouteFilters.middleware(r, JsonMapper.builder().build(), noRedis,
                MiddlewareMetrics.NONE)).build();
        Map<String, Boolean> nonBlocking = new java.util.TreeMap<>();
        for (Route r : routes.routes()) nonBlocking.put(r.name(), r.nonBlocking());
        assertThat(nonBlocking).containsExactlyInAnyOrderEntriesOf(Map.of(
                "plain", false,   // no middleware: forwarded as it arrives, before any route would run
                "local", true, "delay", false, "shared", false, "deadletter", false, "mixed", false));
        // the config's own rule (what routemq check prints) says the same without building any middleware
        for (io.routemq.server.config.RouteConfig r : c.routes()) {
            assertThat(r.nonBlocking()).as("route %s", r.name()).isEqualTo(r.middleware().isEmpty() || nonBlocking.get(r.name()));
        }
    }
}
