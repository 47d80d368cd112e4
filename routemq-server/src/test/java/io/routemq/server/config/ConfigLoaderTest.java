package io.routemq.server.config;

import io.routemq.mqtt.ProtocolVersion;
import io.routemq.mqtt.ReconnectPolicy;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.TlsConfig;
import io.routemq.sink.http.HttpSinkConfig;
import io.routemq.sink.http.Batch;
import io.routemq.sink.http.BodyFormat;
import io.routemq.sink.http.CircuitBreakerSettings;
import io.routemq.sink.http.HttpAuth;
import io.routemq.sink.http.Timeouts;
import io.routemq.sink.http.UrlMode;
import io.routemq.config.ConfigException;

import io.routemq.core.Subscription;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    static final Map<String, String> ENV = Map.of("PLANT_USER", "plant-user", "PLANT_PASSWORD", "s3cret", "HOSTNAME", "gw1");

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    }

    /** The repository root: found from the working directory, or from the real place of the test resources. */
    static Path repositoryRoot() throws Exception {
        for (Path start : List.of(Path.of("").toAbsolutePath(), resource("full.yaml").toRealPath())) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("config/demo.yaml")) && Files.isDirectory(p.resolve("routemq-server"))) return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (config/demo.yaml)");
    }

    @Test
    void fullYamlAndTheSameInJsonGiveEqualModels() throws Exception {
        ConfigLoader loader = new ConfigLoader(ENV);
        LoadedConfig yaml = loader.loadDetailed(resource("full.yaml"));
        LoadedConfig json = loader.loadDetailed(resource("full.json"));
        assertThat(yaml.syntax()).isEqualTo(LoadedConfig.Syntax.YAML);
        assertThat(json.syntax()).isEqualTo(LoadedConfig.Syntax.JSON);
        assertThat(yaml.dialect()).isEqualTo(LoadedConfig.Dialect.ROUTEMQ);
        assertThat(json.config()).isEqualTo(yaml.config());
    }

    @Test
    void fullYamlResolvesEveryKey() throws Exception {
        GatewayConfig c = new ConfigLoader(ENV).load(resource("full.yaml"));

        SessionConfig plant = c.brokers().get("plant");
        assertThat(plant.url()).isEqualTo("mqtts://broker.plant.example:8883");
        assertThat(plant.clientId()).isEqualTo("routemq-gw1");
        assertThat(plant.username()).isEqualTo("plant-user");
        assertThat(plant.password()).isEqualTo("s3cret");
        assertThat(plant.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(plant.cleanStart()).isFalse();
        assertThat(plant.sessionExpiry()).isEqualTo(Duration.ofHours(1));
        assertThat(plant.cleanStart()).isFalse();
        assertThat(plant.receiveMaximum()).isEqualTo(512);
        assertThat(plant.maxInFlight()).isEqualTo(256);
        assertThat(plant.tls()).isEqualTo(TlsConfig.builder().insecure(true).build());
        assertThat(plant.reconnect()).isEqualTo(new ReconnectPolicy(Duration.ofMillis(500), Duration.ofMinutes(1), 1.5, 0.1));
        SessionConfig lab = c.brokers().get("lab");
        assertThat(lab.url()).isEqualTo("ws://127.0.0.1:8083/mqtt");
        assertThat(lab.protocolVersion()).isEqualTo(ProtocolVersion.MQTT_3_1_1);
        assertThat(lab.clientId()).isEqualTo("routemq-lab");

        io.routemq.broker.BrokerConfig b = c.broker().config();
        assertThat(c.embeddedBrokerEnabled()).isTrue();
        assertThat(b.port()).isEqualTo(1884);
        assertThat(b.wsPort()).isEqualTo(8084);
        assertThat(b.persistence()).isEqualTo(io.routemq.broker.BrokerConfig.Persistence.MEMORY);
        assertThat(b.users()).containsExactly(Map.entry("gateway", "secret"));
        assertThat(b.acl().rules()).containsExactly(
                new io.routemq.broker.BrokerConfig.AclRule(true, List.of(io.routemq.broker.BrokerConfig.Action.SUBSCRIBE), "gateway", null, "plant/#"),
                new io.routemq.broker.BrokerConfig.AclRule(false, List.of(io.routemq.broker.BrokerConfig.Action.PUBLISH), null, "sensor-1", "plant/1/#"));
        assertThat(b.maxPacketSize()).isEqualTo(1L << 20);
        assertThat(b.maxSessionExpiry()).isEqualTo(Duration.ofHours(12));
        assertThat(b.maxQueuedMessages()).isEqualTo(5000);
        assertThat(b.queueOverflow()).isEqualTo(io.routemq.broker.BrokerConfig.QueueOverflow.DISCARD_OLDEST);

        RouteConfig t = c.routes().get(0);
        assertThat(t.name()).isEqualTo("telemetry");
        assertThat(t.shared()).isEqualTo(new RouteConfig.Shared("g", 3));
        assertThat(t.exclude()).containsExactly("plant/test/#");
        assertThat(t.excludeRegex()).containsExactly("^plant/debug/.*");
        assertThat(t.filters()).containsExactly(
                new RouteConfig.Filter("payload.temp", RouteConfig.Op.GT, new BigDecimal("30")),
                new RouteConfig.Filter("param.line", RouteConfig.Op.IN, List.of("a", "b", new BigDecimal("7"))),
                new RouteConfig.Filter("userProperty.kind", RouteConfig.Op.EQUALS, "hot"),
                new RouteConfig.Filter("topic", RouteConfig.Op.MATCHES, "machine/[0-9]+"),
                new RouteConfig.Filter("payload.items[0].id", RouteConfig.Op.EXISTS, true));
        assertThat(t.filters().get(0).source()).isEqualTo(RouteConfig.FieldSource.PAYLOAD);
        assertThat(t.filters().get(0).name()).isEqualTo("temp");
        assertThat(t.to()).containsExactly("ingest", "archive");
        RouteConfig lab2 = c.routes().get(1);
        assertThat(lab2.name()).isEqualTo("lab/#");
        assertThat(lab2.fanout()).isTrue();
        assertThat(lab2.enabled()).isFalse();
        assertThat(lab2.to()).containsExactly("archive");
        RouteConfig local = c.routes().get(2);
        assertThat(local.broker()).isEqualTo(GatewayConfig.EMBEDDED);
        assertThat(local.qos()).isEqualTo(1);
        assertThat(local.shared()).isEqualTo(new RouteConfig.Shared("routemq", 1));
        assertThat(c.activeRoutes()).extracting(RouteConfig::name).containsExactly("telemetry", "local/{rest...}");

        HttpSinkConfig ingest = c.sinks().get("ingest").http();
        assertThat(ingest.urls()).containsExactly(URI.create("https://ingest-a.example/v1/telemetry"), URI.create("https://ingest-b.example/v1/telemetry"));
        assertThat(ingest.mode()).isEqualTo(UrlMode.FAILOVER);
        assertThat(ingest.method()).isEqualTo("PUT");
        assertThat(ingest.headers()).containsEntry("X-Source", "routemq");
        assertThat(ingest.auth()).isEqualTo(new HttpAuth.Bearer("t0ken"));
        assertThat(ingest.body()).isEqualTo(BodyFormat.ENVELOPE);
        assertThat(ingest.timeout()).isEqualTo(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
        assertThat(ingest.circuitBreaker()).isEqualTo(new CircuitBreakerSettings(3, Duration.ofMinutes(1)));
        assertThat(ingest.statusRules().retryOn()).containsExactlyInAnyOrder(409, 425);
        assertThat(c.sinks().get("ingest").retry()).isEqualTo(new SinkConfig.Retry(8, Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofHours(2)));
        assertThat(c.sinks().get("ingest").queue()).isEqualTo(new SinkConfig.Queue(512L << 20, SinkConfig.Overflow.DEAD_LETTER));
        HttpSinkConfig archive = c.sinks().get("archive").http();
        assertThat(archive.auth()).isEqualTo(new HttpAuth.Basic("arch", "pw"));
        // a batch is a JSON array of envelopes: the HTTP sink refuses any other body, so the file may not write one
        assertThat(archive.body()).isEqualTo(BodyFormat.ENVELOPE);
        assertThat(archive.batch()).isEqualTo(new Batch(500, Duration.ofMillis(200)));
        assertThat(c.sinks().get("archive").retry()).isEqualTo(SinkConfig.Retry.DEFAULT);

        assertThat(c.queue()).isEqualTo(io.routemq.queue.QueueConfig.builder(Path.of("/tmp/routemq-test-queue"))
                .fsync(io.routemq.queue.FsyncPolicy.always()).segmentBytes(32L << 20).maxBytes(2L << 30).build());
        assertThat(c.admin()).isEqualTo(new AdminConfig(false, "0.0.0.0", 9191));
        assertThat(c.logging()).isEqualTo(new LoggingConfig("debug", LoggingConfig.Format.JSON, Path.of("logs/routemq.log"),
                10L << 20, Duration.ofDays(3), 5, Map.of("io.routemq", "trace", "io.netty", "warn")));
        assertThat(c.shutdown().timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void subscriptionsPerBrokerComeFromTheCoreRouter() throws Exception {
        GatewayConfig c = new ConfigLoader(ENV).load(resource("full.yaml"));
        Map<String, List<Subscription>> subs = RoutePlan.subscriptions(c);
        assertThat(subs.keySet()).containsExactly("plant", "embedded");
        assertThat(subs.get("plant")).containsExactly(new Subscription("plant", "plant/+/machine/+/telemetry", 1, "g", 3));
        assertThat(subs.get("embedded")).containsExactly(new Subscription("embedded", "local/#", 1, "routemq", 1));
    }

    @Test
    void minimalConfigGetsEveryDefault() {
        LoadedConfig loaded = new ConfigLoader(Map.of()).parse("""
                routes:
                  - topic: sensors/{id}/data
                    to: [s]
                sinks:
                  s:
                    http: { urls: [http://127.0.0.1:8088/in] }
                """, "routemq.yaml");
        GatewayConfig c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.brokers()).isEmpty();
        assertThat(c.embeddedBrokerEnabled()).isTrue();
        assertThat(c.broker()).isEqualTo(EmbeddedBrokerConfig.defaults());
        assertThat(c.routes()).containsExactly(new RouteConfig("sensors/{id}/data", "sensors/{id}/data", "embedded", 1, null,
                List.of(), List.of(), List.of(), List.of("s"), false, true));
        SinkConfig s = c.sinks().get("s");
        // nothing written but the url: the HTTP sink module's own defaults
        assertThat(s.http()).isEqualTo(HttpSinkConfig.builder("s").url("http://127.0.0.1:8088/in").build());
        assertThat(s.retry()).isEqualTo(SinkConfig.Retry.DEFAULT);
        assertThat(s.queue()).isEqualTo(SinkConfig.Queue.DEFAULT);
        assertThat(c.queue()).isEqualTo(GatewayConfig.defaultQueue());
        assertThat(c.admin()).isEqualTo(AdminConfig.DEFAULT);
        assertThat(c.logging()).isEqualTo(LoggingConfig.defaults());
        assertThat(c.shutdown()).isEqualTo(ShutdownConfig.DEFAULT);
    }

    @Test
    void brokerDefaultsAndTheOnlyBrokerIsTheRoutesDefault() {
        GatewayConfig c = new ConfigLoader(Map.of()).parse("""
                brokers:
                  plant: { url: mqtt://10.0.0.5 }
                routes: [ { topic: a/#, to: [s] } ]
                sinks: { s: { http: { urls: [http://h/x] } } }
                """, "routemq.yaml").config();
        // nothing written but the url: the session module's defaults, with the gateway's client id and maxInFlight
        assertThat(c.brokers().get("plant")).isEqualTo(SessionConfig.builder("plant", "mqtt://10.0.0.5:1883").clientId("routemq-plant")
                .maxInFlight(1024).build());
        assertThat(c.embeddedBrokerEnabled()).isFalse();
        assertThat(c.routes().get(0).broker()).isEqualTo("plant");
    }

    @Test
    void theDesignDocumentsExampleLoads() {
        GatewayConfig c = new ConfigLoader(Map.of("MQTT_USERNAME", "u", "MQTT_PASSWORD", "p")).parse("""
                brokers:
                  plant:
                    url: mqtts://broker.plant.example:8883
                    username: ${MQTT_USERNAME}
                    password: ${MQTT_PASSWORD}
                routes:
                  - topic: plant/{line}/machine/{id}/telemetry
                    broker: plant
                    qos: 1
                    exclude: [plant/test/#]
                    to: [ingest, archive]
                sinks:
                  ingest:
                    http:
                      urls: [https://ingest-a.example/v1/telemetry, https://ingest-b.example/v1/telemetry]
                      mode: failover
                      body: envelope
                      retry: { attempts: 8, backoff: 500ms..1m }
                  archive:
                    http:
                      urls: [http://archive.example/batch]
                      batch: { size: 500, linger: 200ms }
                      body: envelope
                """, "routemq.yaml").config();
        assertThat(c.sinks().get("ingest").retry().attempts()).isEqualTo(8);
        assertThat(c.brokers().get("plant").password()).isEqualTo("p");
    }

    @Test
    void demoConfigOnTheClasspathIsTheRepositoryFileAndLoads() throws Exception {
        Path repoFile = repositoryRoot().resolve("config/demo.yaml");
        try (var in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEMO_RESOURCE)) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .as("routemq-server/src/main/resources/routemq-demo.yaml must be a copy of config/demo.yaml")
                    .isEqualTo(Files.readString(repoFile));
        }
        LoadedConfig demo = new ConfigLoader(Map.of()).loadDemo();
        GatewayConfig c = demo.config();
        assertThat(demo.warnings()).isEmpty();
        assertThat(c.embeddedBrokerEnabled()).isTrue();
        assertThat(c.broker().config().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.broker().config().port()).isEqualTo(1883);
        assertThat(c.broker().config().allowAnonymous()).isTrue();
        assertThat(c.routes()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("demo/{deviceId}/telemetry");
            assertThat(r.qos()).isEqualTo(1);
            assertThat(r.broker()).isEqualTo("embedded");
        });
        assertThat(c.sinks().get("ingest").http().urls()).containsExactly(URI.create("http://127.0.0.1:8088/ingest"));
    }

    @Test
    void syntaxIsSniffedWhenTheNameHasNoKnownExtension() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        String yaml = "sinks: { s: { http: { urls: [http://h/x] } } }\nroutes: [ { topic: a, to: s } ]\n";
        assertThat(loader.parse(yaml, "gateway.conf").syntax()).isEqualTo(LoadedConfig.Syntax.YAML);
        String json = "{\"sinks\": {\"s\": {\"http\": {\"urls\": [\"http://h/x\"]}}}, \"routes\": [{\"topic\": \"a\", \"to\": [\"s\"]}]}";
        assertThat(loader.parse(json, "gateway.conf").syntax()).isEqualTo(LoadedConfig.Syntax.JSON);
        assertThat(loader.parse(json, "gateway.conf").config()).isEqualTo(loader.parse(yaml, "gateway.conf").config());
    }

    @Test
    void yamlAnchorsAliasesAndMergeKeysWork() {
        GatewayConfig c = new ConfigLoader(Map.of()).parse("""
                brokers:
                  a: &common { url: mqtt://h1, keepAlive: 10s, cleanStart: false, sessionExpiry: 1h }
                  b:
                    <<: *common
                    url: mqtt://h2
                routes:
                  - { topic: x/#, broker: a, to: [s] }
                sinks:
                  s: { http: { urls: [http://h/x] } }
                """, "routemq.yaml").config();
        assertThat(c.brokers().get("b").host()).isEqualTo("h2");
        assertThat(c.brokers().get("b").keepAlive()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.brokers().get("b").sessionExpiry()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void loadingAMissingFileNamesIt() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Path.of("no-such-dir/routemq.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("no-such-dir/routemq.yaml: file not found (check the path; the working directory is ");
    }

    @Test
    void secretsDoNotPrint() {
        GatewayConfig c = new ConfigLoader(Map.of()).parse("""
                brokers: { p: { url: mqtt://h, username: u, password: hunter2 } }
                sinks: { s: { http: { urls: [http://h/x], headers: { X-Api-Key: abc }, auth: { bearer: tok } } } }
                routes: [ { topic: a, to: [s] } ]
                """, "routemq.yaml").config();
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("abc").doesNotContain("tok").contains("password=***");
    }
}
