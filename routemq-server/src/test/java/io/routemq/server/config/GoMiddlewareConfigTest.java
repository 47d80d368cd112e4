package io.routemq.server.config;

import io.routemq.mqtt.SessionConfig;
import io.routemq.sink.http.HttpSinkConfig;
import io.routemq.sink.http.BodyFormat;
import io.routemq.sink.http.UrlMode;
import io.routemq.config.ConfigError;
import io.routemq.config.ConfigException;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The Go EMQX middleware's JSON config, accepted unchanged. */
class GoMiddlewareConfigTest {

    static LoadedConfig parse(String json) {
        return new ConfigLoader(Map.of()).parse(json, "config.json");
    }

    @Test
    void theReadmeExampleLoadsToTheExpectedModel() throws Exception {
        LoadedConfig loaded = new ConfigLoader(Map.of()).loadDetailed(ConfigLoaderTest.resource("go-example.json"));
        assertThat(loaded.dialect()).isEqualTo(LoadedConfig.Dialect.GO_MIDDLEWARE);
        assertThat(loaded.warnings()).isEmpty();
        GatewayConfig c = loaded.config();

        assertThat(c.brokers()).containsExactly(
                Map.entry("go-mqtt-client-1", SessionConfig.builder("go-mqtt-client-1", "mqtt://127.0.0.1:11883")
                        .clientId("go-mqtt-client-1").persistentSession(Duration.ofDays(1)).maxInFlight(1024).build()),
                Map.entry("go-mqtt-client-2", SessionConfig.builder("go-mqtt-client-2", "mqtt://127.0.0.1:11883")
                        .clientId("go-mqtt-client-2").persistentSession(Duration.ofDays(1)).maxInFlight(1024).build()));
        assertThat(c.brokers().values()).noneMatch(SessionConfig::cleanStart);
        assertThat(c.embeddedBrokerEnabled()).isFalse();

        // Each sub_deal_config subscribes on its own broker only, and forwards to its own sink.
        assertThat(c.routes()).containsExactly(
                new RouteConfig("test1", "from/v1/#", "go-mqtt-client-1", 0, null, List.of(), List.of("from/v1/aaa/"), List.of(),
                        List.of("test1"), true, true),
                new RouteConfig("test2", "from/v1/#", "go-mqtt-client-2", 0, null, List.of(), List.of("from/v1/aaa/"), List.of(),
                        List.of("test2"), true, true));
        // Every callbackAddress gets every message (fanout), as a JSON POST (body go), retry 5 = 6 attempts 1 s apart.
        assertThat(c.sinks().get("test1")).isEqualTo(new SinkConfig("test1", HttpSinkConfig.builder("test1")
                .url("http://127.0.0.1:18000/api/test").mode(UrlMode.FANOUT).method("POST")
                .body(BodyFormat.GO).maxInFlight(64).circuitBreaker(0, Duration.ofSeconds(30)).build(),
                new SinkConfig.Retry(6, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO), SinkConfig.Queue.DEFAULT));
        assertThat(c.sinks().get("test2").http().urls()).containsExactly(URI.create("http://127.0.0.1:18000/api/test2"));

        assertThat(c.logging()).isEqualTo(new LoggingConfig("info", LoggingConfig.Format.CONSOLE, java.nio.file.Path.of("logs/mqtt.log"),
                1L << 20, Duration.ofDays(7), 3, Map.of()));
        assertThat(RoutePlan.subscriptions(c)).containsOnlyKeys("go-mqtt-client-1", "go-mqtt-client-2");
    }

    @Test
    void theExampleInExamplesIsTheTestResource() throws Exception {
        java.nio.file.Path examples = ConfigLoaderTest.repositoryRoot().resolve("examples/go-middleware/config.json");
        assertThat(java.nio.file.Files.readString(examples)).isEqualTo(java.nio.file.Files.readString(ConfigLoaderTest.resource("go-example.json")));
    }

    @Test
    void theRouteMqEquivalentInDocsConfigMdMeansTheSame() throws Exception {
        String doc = java.nio.file.Files.readString(ConfigLoaderTest.repositoryRoot().resolve("docs/config.md"));
        int at = doc.indexOf("The same config in RouteMQ's format:");
        assertThat(at).isPositive();
        int start = doc.indexOf("```yaml\n", at) + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        GatewayConfig fromDoc = new ConfigLoader(Map.of()).parse(yaml, "equivalent.yaml").config();
        GatewayConfig fromGo = new ConfigLoader(Map.of()).load(ConfigLoaderTest.resource("go-example.json"));
        assertThat(fromDoc).isEqualTo(fromGo);
    }

    @Test
    void excludeTopicsAreRegexesFoundAnywhereInTheTopic() throws Exception {
        RouteConfig r = new ConfigLoader(Map.of()).load(ConfigLoaderTest.resource("go-example.json")).routes().get(0);
        Pattern p = r.excludeRegexPatterns().get(0);
        assertThat(p.matcher("from/v1/aaa/x").find()).isTrue();
        assertThat(p.matcher("x/from/v1/aaa/").find()).isTrue();
        assertThat(p.matcher("from/v1/aaa").find()).isFalse();
    }

    @Test
    void subDealConfigAsAListAndGoRegexSyntax() {
        GatewayConfig c = parse("""
                {"mqtt_brokers": [{"client_id": "c1", "alive": 30, "broker_ip": "10.0.0.1", "broker_port": 1883,
                  "sub_deal_config": [
                    {"app_name": "a", "app_id": "1", "enabled": true, "callbackMethod": "https",
                     "callbackAddress": ["https://x/1", "https://y/1"], "subTopic": {"topic": "s/#", "qos": 1},
                     "excludeTopics": ["^s/(?P<dev>[[:alpha:]]+)/debug$"], "retry": 0},
                    {"app_name": "a", "app_id": "2", "enabled": false, "callbackMethod": "HTTP",
                     "callbackAddress": ["http://z/2"], "subTopic": {"topic": "$share/g1/t/+"}, "retry": 2}
                  ]}]}
                """).config();
        assertThat(c.routes()).hasSize(2);
        RouteConfig a = c.routes().get(0);
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.qos()).isEqualTo(1);
        assertThat(a.excludeRegex()).containsExactly("^s/(?<dev>[\\p{Alpha}]+)/debug$");
        assertThat(a.excludeRegexPatterns().get(0).matcher("s/abc/debug").find()).isTrue();
        assertThat(c.sinks().get("a").retry().attempts()).isEqualTo(1);
        assertThat(c.sinks().get("a").http().urls()).hasSize(2);
        RouteConfig b = c.routes().get(1);
        assertThat(b.name()).isEqualTo("a-2");
        assertThat(b.enabled()).isFalse();
        assertThat(b.topic()).isEqualTo("t/+");
        assertThat(b.shared()).isEqualTo(new RouteConfig.Shared("g1", 1));
        assertThat(b.to()).containsExactly("a-2");
        assertThat(c.activeRoutes()).containsExactly(a);
    }

    @Test
    void keysMatchIgnoringCaseAsInGo() {
        GatewayConfig c = parse("""
                {"MQTT_BROKERS": [{"Client_Id": "c1", "broker_ip": "h", "BROKER_PORT": 1884}],
                 "log_config": {"level": "warning", "maxSize": 5, "max_age": 0, "max_backups": 0}}
                """).config();
        assertThat(c.brokers().get("c1").port()).isEqualTo(1884);
        assertThat(c.logging().level()).isEqualTo("warn");
        assertThat(c.logging().maxSize()).isEqualTo(5L << 20);
    }

    @Test
    void topLevelSubDealConfigAppliesToEveryBroker() {
        GatewayConfig c = parse("""
                {"mqtt_brokers": [{"client_id": "c1", "broker_ip": "h1", "broker_port": 1883},
                                  {"broker_ip": "h2", "broker_port": 1883}],
                 "sub_deal_config": {"app_name": "all", "enabled": true, "callbackMethod": "HTTP",
                   "callbackAddress": ["http://x/"], "subTopic": {"topic": "t/#", "qos": 1}, "retry": 1}}
                """).config();
        assertThat(c.brokers().keySet()).containsExactly("c1", "broker-2");
        assertThat(c.brokers().get("broker-2").clientId()).isEqualTo("routemq-broker-2");
        assertThat(c.routes()).extracting(RouteConfig::name, RouteConfig::broker)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("all@c1", "c1"), org.assertj.core.groups.Tuple.tuple("all@broker-2", "broker-2"));
    }

    @Test
    void missingEnabledMeansOffWithAWarning() {
        LoadedConfig l = parse("""
                {"mqtt_brokers": [{"client_id": "c1", "broker_ip": "h", "broker_port": 1883,
                  "sub_deal_config": {"app_name": "x", "callbackMethod": "HTTP", "callbackAddress": ["http://x/"],
                    "subTopic": {"topic": "t"}}}]}
                """);
        assertThat(l.config().routes().get(0).enabled()).isFalse();
        assertThat(l.warnings()).containsExactly("config.json:2:22 mqtt_brokers[0].sub_deal_config: 'enabled' is missing, so this "
                + "sub_deal_config is off, as in the Go middleware (its zero value is false); add \"enabled\": true to forward");
    }

    @Test
    void goErrorsAreReportedWithPlaces() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                {"mqtt_brokers": [{"client_id": "c1", "broker_ip": "tcp://h", "broker_port": 1883, "alive": 60,
                  "sub_deal_config": {"app_name": "x", "enabled": true, "callbackMethod": "GRPC", "callbackAddress": ["http://x/"],
                    "subTopic": {"topic": "t/#"}, "excludeTopics": ["(?U)a.*"], "retry": -1, "callback": 1}}]}
                """));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "config.json:1:52 mqtt_brokers[0].broker_ip 'tcp://h': broker_ip is a host name or address, not a url (write just the host, e.g. \"127.0.0.1\")",
                "config.json:2:75 mqtt_brokers[0].sub_deal_config.callbackMethod 'GRPC': unsupported callbackMethod (HTTP or HTTPS (the Go middleware silently sends nothing for anything else))",
                "config.json:3:53 mqtt_brokers[0].sub_deal_config.excludeTopics[0] '(?U)a.*': cannot translate this Go regular expression (the U flag means ungreedy in Go but Unicode classes in Java; write lazy quantifiers such as .*? instead)",
                "config.json:3:74 mqtt_brokers[0].sub_deal_config.retry: must be between 0 and 1000000, got -1",
                "config.json:3:78 mqtt_brokers[0].sub_deal_config.callback: unknown key 'callback' (did you mean 'callbackMethod'?)");
    }

    @Test
    void mixingTheTwoFormatsIsAnError() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                {"mqtt_brokers": [{"broker_ip": "h", "broker_port": 1883}], "routes": []}
                """));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "config.json:1:61 routes: a RouteMQ key in a file in the Go middleware's format (it has mqtt_brokers) "
                        + "(write the whole file in one format; docs/config.md shows the RouteMQ equivalent of a Go config)");
    }
}
