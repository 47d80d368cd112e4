package io.routemq.server.config;

import io.routemq.middleware.AuthConfig;
import io.routemq.middleware.DedupConfig;
import io.routemq.middleware.KeySource;
import io.routemq.middleware.LogConfig;
import io.routemq.middleware.RateLimitConfig;
import io.routemq.middleware.Store;
import io.routemq.middleware.ValidateConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.routemq.server.config.ConfigErrorsTest.SINKS;
import static io.routemq.server.config.ConfigErrorsTest.error;
import static io.routemq.server.config.ConfigErrorsTest.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code routes[i].middleware} with routemq-middleware's rateLimit, auth, validate, dedup and log: bound into that
 * module's option records at load (what {@code routemq check} runs), errors at file:line with the key path.
 */
class ShippedMiddlewareConfigTest {

    @Test
    void everyShippedMiddlewareIsReadIntoItsModulesRecord(@TempDir Path dir) throws Exception {
        Path schema = Files.writeString(dir.resolve("telemetry.json"), "{\"type\": \"object\", \"required\": [\"temp\"]}");
        Path tokens = Files.writeString(dir.resolve("tokens.txt"), "t1\nt2\n");
        GatewayConfig c = new ConfigLoader(Map.of("SIGNING_KEY", "k3y")).parse(SINKS + """
                routes:
                  - topic: plant/{line}/machine/{id}/telemetry
                    name: telemetry
                    middleware:
                      - log: { sample: 0.5, level: debug }
                      - auth: { tokensFile: %s, property: auth }
                      - rateLimit: { key: param.id, tokenBucket: { rate: 10/s, burst: 50 }, onLimit: delay }
                      - validate: { schema: %s, deadLetter: archive }
                      - dedup: { key: userProperty.msgId, ttl: 10m, store: redis }
                    to: [ingest]
                  - topic: signed/#
                    middleware:
                      - auth: { hmacSecret: "${SIGNING_KEY}", encoding: base64 }
                      - rateLimit: { slidingWindow: { limit: 600, window: 1m }, key: session, store: redis }
                      - rateLimit: { fixedWindow: { limit: 5, window: 100ms } }
                      - log:
                    to: [ingest]
                redis: { uri: redis://127.0.0.1:6379 }
                """.formatted(tokens, schema), "routemq.yaml").config();
        var m = c.routes().get(0).middleware();
        assertThat(m).extracting(MiddlewareConfig::name).containsExactly("log", "auth", "rateLimit", "validate", "dedup");
        assertThat(((MiddlewareConfig.Log) m.get(0)).options()).isEqualTo(new LogConfig(LogConfig.Level.DEBUG, 0.5, false, 256, "routemq.messages"));
        AuthConfig auth = ((MiddlewareConfig.Auth) m.get(1)).options();
        assertThat(auth.tokens()).containsExactly("t1", "t2");
        assertThat(auth.property()).isEqualTo("auth");
        RateLimitConfig rl = ((MiddlewareConfig.RateLimit) m.get(2)).options();
        assertThat(rl).isEqualTo(RateLimitConfig.tokenBucket(10, Duration.ofSeconds(1)).burst(50).key(KeySource.param("id"))
                .onLimit(RateLimitConfig.OnLimit.DELAY).scope("telemetry").build());
        ValidateConfig v = ((MiddlewareConfig.Validate) m.get(3)).options();
        assertThat(v.deadLetter()).isEqualTo("archive");
        assertThat(v.schemaFile()).isEqualTo(schema);
        DedupConfig d = ((MiddlewareConfig.Dedup) m.get(4)).options();
        assertThat(d.userProperty()).isEqualTo("msgId");
        assertThat(d.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.store()).isEqualTo(Store.REDIS);

        var s = c.routes().get(1).middleware();
        AuthConfig hmac = ((MiddlewareConfig.Auth) s.get(0)).options();
        assertThat(hmac.hmacSecret()).isEqualTo("k3y");
        assertThat(hmac.property()).isEqualTo("signature");
        assertThat(hmac.encoding()).isEqualTo(AuthConfig.Encoding.BASE64);
        RateLimitConfig sliding = ((MiddlewareConfig.RateLimit) s.get(1)).options();
        assertThat(sliding.algorithm()).isEqualTo(RateLimitConfig.Algorithm.SLIDING_WINDOW);
        assertThat(sliding.perSecond()).isEqualTo(10.0);
        assertThat(sliding.key()).isEqualTo(KeySource.session());
        assertThat(((MiddlewareConfig.RateLimit) s.get(2)).options().period()).isEqualTo(Duration.ofMillis(100));
        assertThat(((MiddlewareConfig.Log) s.get(3)).options()).as("no options: the defaults").isEqualTo(LogConfig.defaults());
    }

    @Test
    void checkPrintsEachMiddlewareWithoutSecrets(@TempDir Path dir) throws Exception {
        Path schema = Files.writeString(dir.resolve("s.json"), "{\"type\": \"object\"}");
        Path file = Files.writeString(dir.resolve("routemq.yaml"), SINKS + """
                routes:
                  - topic: dev/{id}/data
                    middleware:
                      - auth: { tokens: [s3cret-token] }
                      - auth: { hmacSecret: s3cret-key }
                      - rateLimit: { key: param.id, tokenBucket: { rate: 10/s, burst: 50 }, onLimit: delay }
                      - validate: { schema: '%s', deadLetter: archive }
                      - dedup: { key: userProperty.msgId, ttl: 10m, store: redis }
                      - log: { sample: 0.5 }
                    to: [ingest]
                  - topic: dev/{id}/status
                    middleware: [ { log: {} }, { rateLimit: { key: topic, tokenBucket: { rate: 10/s } } } ]
                    to: [ingest]
                redis: { uri: redis://127.0.0.1:6379 }
                """.formatted(schema));
        java.io.StringWriter out = new java.io.StringWriter();
        int code = new io.routemq.server.cli.RouteMqCli(null, null, Map.of()).execute(new java.io.PrintWriter(out),
                new java.io.PrintWriter(new java.io.StringWriter()), "check", "--config", file.toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains(
                "      middleware auth 1 token(s) in user property token",
                "      middleware auth HMAC-SHA256 signature (hex) in user property signature",
                "      middleware rateLimit tokenBucket 10/1s burst 50 per param.id, delay, local",
                "      middleware validate " + schema + ", invalid to sink archive",
                "      middleware dedup by userProperty.msgId for 10m, redis",
                "      middleware log info, sample 0.5",
                "      runs on a lane thread per topic: rateLimit, validate, dedup may block",
                "      runs on the thread that received the message (no middleware that may block)").doesNotContain("s3cret");
    }

    private static String route(String middleware) {
        return SINKS + """
                routes:
                  - topic: dev/{id}/data
                    middleware:
                      - %s
                    to: [ingest, archive]
                """.formatted(middleware);
    }

    @Test
    void rateLimitErrorsNameTheKeyAndThePlace() {
        assertThat(error(route("rateLimit: { tokenBucket: { rate: 10/x } }")))
                .isEqualTo("routemq.yaml:7:43 routes[0].middleware[0].rateLimit.tokenBucket.rate '10/x': not a rate"
                        + " (write messages per period, like 10/s, 600/1m or 5/100ms)");
        assertThat(error(route("rateLimit: { key: param.idd, fixedWindow: { limit: 5, window: 1s } }")))
                .startsWith("routemq.yaml:7:27 routes[0].middleware[0].rateLimit.key 'param.idd': 'idd' is not a parameter of the route's topic")
                .contains("did you mean 'param.id'?");
        assertThat(error(route("rateLimit: { key: param.id }")))
                .startsWith("routemq.yaml:7:20 routes[0].middleware[0].rateLimit: a rate limit needs an algorithm");
        assertThat(error(route("rateLimit: { tokenBucket: { rate: 0/s } }")))
                .isEqualTo("routemq.yaml:7:35 routes[0].middleware[0].rateLimit.tokenBucket.rate: must be at least 1, got 0");
        assertThat(error(route("rateLimit: { fixedWindow: { limit: 5, window: 1s }, onLimit: wait }")))
                .contains("routes[0].middleware[0].rateLimit.onLimit 'wait': unknown value");
        assertThat(error(route("rateLimit: { tokenBucket: { rate: 5/s, burts: 9 } }")))
                .contains("routes[0].middleware[0].rateLimit.tokenBucket.burts").contains("did you mean 'burst'?");
    }

    @Test
    void authValidateDedupAndLogErrorsNameTheKey() {
        assertThat(error(route("auth: { property: token }")))
                .startsWith("routemq.yaml:7:15 routes[0].middleware[0].auth: an auth needs tokens, a tokensFile or an hmacSecret");
        assertThat(error(route("auth: { tokens: [a], hmacSecret: k }")))
                .contains("routes[0].middleware[0].auth.hmacSecret: an auth checks either tokens or an HMAC signature, not both");
        assertThat(error(route("auth: { tokensFile: /nonexistent/tokens.txt }")))
                .contains("routes[0].middleware[0].auth.tokensFile '/nonexistent/tokens.txt': file not found");
        assertThat(error(route("validate: { schema: /nonexistent/schema.json }")))
                .contains("routes[0].middleware[0].validate.schema '/nonexistent/schema.json': file not found");
        assertThat(error(route("dedup: { key: msgId }")))
                .contains("routes[0].middleware[0].dedup.key 'msgId': not a dedup key (key: payload | userProperty.<name>)");
        assertThat(error(route("log: { sample: 0 }")))
                .contains("routes[0].middleware[0].log.sample: must be more than 0 and at most 1, got 0.0");
        assertThat(errors(SINKS + """
                routes:
                  - middleware: [ { rateLimit: { fixedWindow: { limit: 5, window: 1s } } } ]
                    to: [ingest]
                """)).as("a route without a topic still reads its middleware").singleElement().asString()
                .contains("routes[0]: 'topic' is required");
        assertThat(error(route("rateLimt: { fixedWindow: { limit: 5, window: 1s } }")))
                .contains("unknown middleware 'rateLimt' (did you mean 'rateLimit'?)");
    }

    @Test
    void storeRedisWithoutARedisSectionIsAnErrorAtTheStoreKey() {
        assertThat(error(route("dedup: { key: payload, store: redis }")))
                .isEqualTo("routemq.yaml:7:39 routes[0].middleware[0].dedup.store 'redis': store: redis needs a redis: section, and the "
                        + "config has none (add one, such as redis: { uri: redis://127.0.0.1:6379 }, or use store: local)");
        assertThat(error(route("rateLimit: { fixedWindow: { limit: 5, window: 1s }, store: redis }")))
                .startsWith("routemq.yaml:7:").contains("routes[0].middleware[0].rateLimit.store 'redis': store: redis needs a redis: section");
        GatewayConfig withSection = new ConfigLoader(Map.of()).parse(route("rateLimit: { fixedWindow: { limit: 5, window: 1s }, store: redis }")
                + "redis: { uri: redis://127.0.0.1:6379 }\n", "routemq.yaml").config();
        assertThat(((MiddlewareConfig.RateLimit) withSection.routes().get(0).middleware().get(0)).options().store()).isEqualTo(Store.REDIS);
    }

    @Test
    void aDeadLetterSinkMustBeConfiguredAndCountsAsUsed(@TempDir Path dir) throws Exception {
        Path schema = Files.writeString(dir.resolve("s.json"), "{\"type\": \"object\"}");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"type\": ");
        assertThat(error(route("validate: { schema: " + schema + ", deadLetter: archiv }")))
                .contains("routes[0].middleware[0].validate.deadLetter: unknown sink 'archiv' (did you mean 'archive'?)");
        assertThat(error(route("validate: { schema: " + bad + " }")))
                .contains("routes[0].middleware[0].validate.schema: the schema in '" + bad + "' is not valid JSON");
        LoadedConfig loaded = new ConfigLoader(Map.of()).parse(SINKS + """
                routes:
                  - topic: a/b
                    middleware: [ { validate: { schema: %s, deadLetter: archive } } ]
                    to: [ingest]
                """.formatted(schema), "routemq.yaml");
        assertThat(loaded.warnings()).noneMatch(w -> w.contains("archive"));
    }
}
