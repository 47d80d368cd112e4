package io.routemq.server.config;

import io.routemq.config.ConfigError;
import io.routemq.config.ConfigException;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One test per kind of config error, each asserting the exact text the user sees. */
class ConfigErrorsTest {

    static final String SINKS = "sinks:\n  ingest: { http: { urls: [http://127.0.0.1:8088/in] } }\n  archive: { http: { urls: [http://127.0.0.1:8088/ar] } }\n";

    static List<String> errors(String text) {
        return errors(text, "routemq.yaml", Map.of());
    }

    static List<String> errors(String text, String name, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(env).parse(text, name));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    static String error(String text) {
        List<String> all = errors(text);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void unknownSinkWithDidYouMean() {
        // The example of DESIGN.md, to the column.
        String yaml = SINKS + """
                brokers:
                  plant: { url: mqtt://127.0.0.1:1883 }
                # a comment
                #
                #
                #
                routes:
                  - topic: plant/{line}/machine/{id}/telemetry
                    to:
                    - ingest
                    - archiv
                """;
        assertThat(error(yaml)).isEqualTo("routemq.yaml:14:7 routes[0].to[1]: unknown sink 'archiv' (did you mean 'archive'?)");
    }

    @Test
    void topicPatternErrorNamesThePosition() {
        String yaml = SINKS + """
                routes:
                  - { topic: a/b, to: [ingest] }
                  - { topic: c/d, to: [ingest] }
                  - { topic: fleet/#/gps, to: [ingest] }
                """;
        assertThat(error(yaml)).isEqualTo("routemq.yaml:7:14 routes[2].topic 'fleet/#/gps': '#' must be the last level (position 7)");
    }

    @Test
    void unknownKeyWithDidYouMean() {
        assertThat(error("brokers:\n  plant:\n    url: mqtt://h\n    keepalive: 30s\n"))
                .isEqualTo("routemq.yaml:4:5 brokers.plant.keepalive: unknown key 'keepalive' (did you mean 'keepAlive'?)");
        assertThat(error("brokers:\n  plant:\n    url: mqtt://h\n    client_id: x\n"))
                .isEqualTo("routemq.yaml:4:5 brokers.plant.client_id: unknown key 'client_id' (did you mean 'clientId'?)");
        assertThat(error("admin: { enabld: false }\n"))
                .isEqualTo("routemq.yaml:1:10 admin.enabld: unknown key 'enabld' (did you mean 'enabled'?)");
    }

    @Test
    void unknownKeyWithoutACloseOneListsTheKnownKeys() {
        assertThat(error("admin: { colour: blue }\n"))
                .isEqualTo("routemq.yaml:1:10 admin.colour: unknown key 'colour' (known keys: enabled, bind, port, sinkFailureWindow)");
    }

    @Test
    void unknownTopLevelKey() {
        assertThat(error("route:\n  - topic: a\n"))
                .isEqualTo("routemq.yaml:1:1 route: unknown key 'route' (did you mean 'routes'?)");
    }

    @Test
    void unknownBrokerReference() {
        String yaml = SINKS + "brokers:\n  plant: { url: mqtt://h }\nroutes:\n  - { topic: a, broker: plnt, to: [ingest] }\n";
        assertThat(error(yaml)).isEqualTo("routemq.yaml:7:25 routes[0].broker: unknown broker 'plnt' (did you mean 'plant'?)");
    }

    @Test
    void routeWithoutSinks() {
        String yaml = SINKS + "routes:\n  - topic: a/b\n";
        assertThat(error(yaml)).isEqualTo("routemq.yaml:5:5 routes[0]: the route forwards nowhere: 'to' is missing (add to: [ingest])");
        assertThat(error(SINKS + "routes:\n  - { topic: a/b, to: [] }\n"))
                .isEqualTo("routemq.yaml:5:23 routes[0].to: the route forwards nowhere: 'to' is empty (add to: [ingest])");
    }

    @Test
    void duplicateRouteNames() {
        String yaml = SINKS + "routes:\n  - { topic: a/b, to: [ingest] }\n  - { topic: a/b, to: [archive] }\n";
        assertThat(error(yaml)).isEqualTo("routemq.yaml:6:5 routes[1]: duplicate route name 'a/b' (first at line 5) (give each route its own name:)");
    }

    @Test
    void portOutOfRange() {
        assertThat(error("brokers:\n  plant: { url: 'mqtt://h:70000' }\n"))
                .isEqualTo("routemq.yaml:2:17 brokers.plant.url 'mqtt://h:70000': port must be between 1 and 65535, got 70000");
        assertThat(error("broker: { port: 70000 }\n"))
                .isEqualTo("routemq.yaml:1:17 broker.port: must be between 0 and 65535, got 70000");
    }

    @Test
    void aBadBrokerBindNamesBrokerBindWithFileAndLine() {
        assertThat(error("broker:\n  bind: 300.1.1.1\n" + SINKS))
                .isEqualTo("routemq.yaml:2:9 broker.bind '300.1.1.1': is not an IPv4 address (300 is over 255) (use an address of "
                        + "this machine: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or ::1)");
        // the former spelling is still read, and its error names the key the user wrote
        assertThat(error("broker:\n  bindAddress: 300.1.1.1\n" + SINKS)).startsWith("routemq.yaml:2:16 broker.bindAddress '300.1.1.1': ");
    }

    @Test
    void theBrokerSectionReadsTheBrokerCommandsFormerKeysWithAWarning() {
        LoadedConfig c = new ConfigLoader(Map.of()).parse("broker:\n  enabled: true\n  persistence: memory\n  maxQueuedMessages: 9\n"
                + "routes:\n  - { topic: a/#, broker: embedded, to: [ingest] }\n" + SINKS.replace("\n  archive: { http: { urls: [http://127.0.0.1:8088/ar] } }", ""),
                "routemq.yaml");
        assertThat(c.config().broker().config().persistence()).isEqualTo(io.routemq.broker.BrokerConfig.Persistence.MEMORY);
        assertThat(c.config().broker().config().maxQueuedMessages()).isEqualTo(9);
        assertThat(c.warnings()).contains("routemq.yaml:3:3 broker.persistence: 'persistence' is deprecated: write 'inMemory' instead",
                "routemq.yaml:4:3 broker.maxQueuedMessages: 'maxQueuedMessages' is deprecated: write 'queue.maxPerClient' instead");
    }

    @Test
    void redisAndDatabaseBindIntoTheirModulesRecords() {
        LoadedConfig c = new ConfigLoader(Map.of("PW", "secret")).parse("redis: { uri: 'redis://127.0.0.1:6380/2', commandTimeout: 2s }\n"
                + "database: { url: 'jdbc:postgresql://127.0.0.1:5432/test', username: postgres, password: '${PW}', maxPoolSize: 4 }\n"
                + "routes:\n  - { topic: a/#, to: [ingest] }\n" + SINKS.replace("\n  archive: { http: { urls: [http://127.0.0.1:8088/ar] } }", ""),
                "routemq.yaml");
        assertThat(c.config().redis().uri()).isEqualTo("redis://127.0.0.1:6380/2");
        assertThat(c.config().redis().commandTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(c.config().database().maxPoolSize()).isEqualTo(4);
        assertThat(c.config().database().password()).isEqualTo("secret");
        assertThat(errors("redis: { uri: 'http://x' }\n" + SINKS)).anySatisfy(e ->
                assertThat(e).startsWith("routemq.yaml:1:15 redis.uri: redis uri must start with redis://"));
        assertThat(errors("database: { url: 'jdbc:postgresql://h/db', maxPoolSize: 4, minIdle: 9 }\n" + SINKS)).anySatisfy(e ->
                assertThat(e).startsWith("routemq.yaml:1:69 database.minIdle: database minIdle must be between 0 and maxPoolSize"));
    }

    @Test
    void stringWhereANumberIsExpected() {
        assertThat(error(SINKS + "routes:\n  - { topic: a, qos: high, to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:22 routes[0].qos: expected a number, got the string 'high'");
        assertThat(error("broker: { port: '1883' }\n"))
                .isEqualTo("routemq.yaml:1:17 broker.port: expected a number, got the string '1883' (write it without quotes)");
        assertThat(error("admin: { enabled: yes }\n"))
                .isEqualTo("routemq.yaml:1:19 admin.enabled: expected true or false, got the string 'yes'");
        assertThat(error("brokers: [ {url: mqtt://h} ]\n"))
                .isEqualTo("routemq.yaml:1:10 brokers: expected a map of broker names to settings, got a list "
                        + "(write 'brokers:' then one '  name:' per broker, not a list)");
    }

    @Test
    void badDurations() {
        assertThat(error("shutdown: { timeout: 10 seconds }\n"))
                .isEqualTo("routemq.yaml:1:22 shutdown.timeout: '10 seconds' is not a duration (write a duration like 500ms, 1s, 2m, 1h, 1d or 1m30s)");
        assertThat(error("shutdown: { timeout: 30 }\n"))
                .isEqualTo("routemq.yaml:1:22 shutdown.timeout: expected a duration, got the number 30 (add a unit: 30s or 30ms)");
        assertThat(error("brokers: { p: { url: mqtt://h, keepAlive: 1500ms } }\n"))
                .isEqualTo("routemq.yaml:1:43 brokers.p.keepAlive: must be whole seconds, got 1s500ms (MQTT counts it in seconds)");
    }

    @Test
    void badSizes() {
        assertThat(error("queue: { segmentSize: 10 MiBs }\n"))
                .isEqualTo("routemq.yaml:1:23 queue.segmentSize: '10 MiBs' is not a size (write a size like 512KB, 10MB or 1GB (1KB = 1024 bytes))");
        assertThat(error("queue: { segmentSize: 4KB }\n"))
                .isEqualTo("routemq.yaml:1:23 queue.segmentSize: must be between 1MB and 1GB, got 4KB");
    }

    @Test
    void badUrls() {
        assertThat(error("brokers: { p: { url: 127.0.0.1 } }\n"))
                .isEqualTo("routemq.yaml:1:22 brokers.p.url '127.0.0.1': the url has no scheme (write mqtt://127.0.0.1:1883 (or mqtts://, ws://, wss://))");
        assertThat(error("brokers: { p: { url: 'tcp://h:1883' } }\n"))
                .isEqualTo("routemq.yaml:1:22 brokers.p.url 'tcp://h:1883': unsupported scheme 'tcp' (tcp:// is written mqtt:// here)");
        assertThat(error("brokers: { p: { url: 'mqtt://u:p@h' } }\n"))
                .isEqualTo("routemq.yaml:1:22 brokers.p.url: credentials do not belong in the url (remove 'user:password@' and set username and password)");
        assertThat(error("sinks: { s: { http: { urls: ['ftp://h/x'] } } }\nroutes: [ {topic: a, to: [s]} ]\n"))
                .isEqualTo("routemq.yaml:1:30 sinks.s.http.urls[0] 'ftp://h/x': unsupported scheme 'ftp' (write http://host:port/path or https://...)");
    }

    @Test
    void missingRequiredKeys() {
        assertThat(error("brokers:\n  plant: { keepAlive: 5s }\n"))
                .isEqualTo("routemq.yaml:2:10 brokers.plant: 'url' is required (e.g. url: mqtt://127.0.0.1:1883)");
        assertThat(error("sinks:\n  s: { retry: { attempts: 3 } }\nroutes: [ {topic: a, to: [s]} ]\n"))
                .isEqualTo("routemq.yaml:2:6 sinks.s: 'http' is required (the sink type: http: { urls: [http://host/path] }, or discard: {} to drop every message)");
        assertThat(error(SINKS + "routes:\n  - { to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:5 routes[0]: 'topic' is required (e.g. topic: sensors/{deviceId}/data)");
    }

    @Test
    void aSinkHasExactlyOneTypeAndDiscardTakesNoSettings() {
        String route = "routes: [ {topic: a, to: [s]} ]\n";
        assertThat(error("sinks:\n  s: { http: { urls: [http://h/x] }, discard: {} }\n" + route))
                .isEqualTo("routemq.yaml:2:38 sinks.s.discard: a sink has one type, and both http and discard are set (keep http to deliver, or discard to drop)");
        assertThat(error("sinks:\n  s: { discard: { urls: [http://h/x] } }\n" + route))
                .isEqualTo("routemq.yaml:2:19 sinks.s.discard.urls: unknown key 'urls'");
        assertThat(error("sinks:\n  s: { discard: true }\n" + route)).startsWith("routemq.yaml:2:17 sinks.s.discard: expected a map");
        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThat(loader.parse("sinks:\n  s:\n    discard:\n" + route, "routemq.yaml").config().sinks().get("s").type())
                .isInstanceOf(SinkConfig.Discard.class);
        SinkConfig s = loader.parse("sinks:\n  s: { discard: {}, queue: { overflow: dead-letter } }\n" + route, "routemq.yaml").config().sinks().get("s");
        assertThat(s.type()).isInstanceOf(SinkConfig.Discard.class);
        assertThat(s.queue().overflow()).isEqualTo(SinkConfig.Overflow.DEAD_LETTER);
        assertThat(error("sinks:\n  s: { discard: {}, retry: { attempts: -1 } }\n" + route)).isEqualTo("routemq.yaml:2:40 sinks.s.retry.attempts: must be between 0 and 1000000000, got -1");
    }

    @Test
    void unknownChoiceWithDidYouMean() {
        assertThat(error("sinks: { s: { http: { urls: [http://h/x], mode: failovr } } }\nroutes: [ {topic: a, to: [s]} ]\n"))
                .isEqualTo("routemq.yaml:1:49 sinks.s.http.mode 'failovr': unknown value (did you mean 'failover'?)");
        assertThat(error("logging: { level: verbose }\n"))
                .isEqualTo("routemq.yaml:1:19 logging.level 'verbose': unknown value (use one of: trace, debug, info, warn, error, off)");
        assertThat(error("brokers: { p: { url: mqtt://h, protocol: 4 } }\n"))
                .isEqualTo("routemq.yaml:1:42 brokers.p.protocol: unknown MQTT version 4 (write 3.1.1 (or 5))");
    }

    @Test
    void unsetEnvironmentVariable() {
        assertThat(error("brokers:\n  plant:\n    url: mqtt://h\n    password: ${MQTT_PASSWORD}\n"))
                .isEqualTo("routemq.yaml:4:15 brokers.plant.password: environment variable MQTT_PASSWORD is not set (set it, or write ${MQTT_PASSWORD:-default})");
    }

    @Test
    void malformedVariableReference() {
        assertThat(error("brokers: { p: { url: mqtt://h, clientId: 'x-${HOST' } }\n"))
                .isEqualTo("routemq.yaml:1:42 brokers.p.clientId 'x-${HOST': unclosed '${' at character 3 (write ${NAME} or ${NAME:-default}; write $${ for a literal ${)");
        assertThat(error("brokers: { p: { url: mqtt://h, clientId: '${1X}' } }\n"))
                .isEqualTo("routemq.yaml:1:42 brokers.p.clientId '${1X}': '${1X}' is not a valid variable reference (names are letters, digits and '_', not starting with a digit; write ${NAME} or ${NAME:-default})");
    }

    @Test
    void duplicateKey() {
        assertThat(error("admin:\n  port: 1\n  port: 2\n"))
                .isEqualTo("routemq.yaml:3:3 admin.port: duplicate key 'port' (first at line 2) (remove one of them)");
    }

    @Test
    void yamlSyntaxError() {
        assertThat(error("admin:\n  port: [1, 2\nlogging: {}\n"))
                .startsWith("routemq.yaml:3:8: invalid YAML: while parsing a flow sequence; expected ',' or ']', but got :");
        assertThat(error("a:\n\tb: 1\n")).startsWith("routemq.yaml:2:1: invalid YAML:");
    }

    @Test
    void jsonSyntaxError() {
        assertThat(error("{\n  \"admin\": {\"port\": 1,}\n}", "routemq.json"))
                .startsWith("routemq.json:2:23: invalid JSON: Unexpected character ('}' (code 125))");
    }

    static String error(String text, String name) {
        List<String> all = errors(text, name, Map.of());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void emptyFileAndWrongRoot() {
        assertThat(error("# nothing here\n")).isEqualTo(
                "routemq.yaml:1:1: the file is empty (docs/config.md describes the keys; 'routemq run' without --config runs the demo config)");
        assertThat(error("- a\n- b\n")).isEqualTo("routemq.yaml:1:1: expected a map, got a list (write 'key: value' lines indented below it)");
    }

    @Test
    void secondYamlDocument() {
        assertThat(error("admin: {port: 1}\n---\nadmin: {port: 2}\n")).isEqualTo(
                "routemq.yaml:3:1: a second YAML document starts here; a config file holds one document (remove the '---' line and what follows, or merge the documents)");
    }

    @Test
    void invalidRegularExpression() {
        assertThat(error(SINKS + "routes:\n  - { topic: a/#, excludeRegex: ['a(b'], to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:34 routes[0].excludeRegex[0] 'a(b': invalid regular expression: Unclosed group (at character 4)");
    }

    @Test
    void filterErrors() {
        assertThat(error(SINKS + "routes:\n  - { topic: 'a/{id}', filters: [ {field: param.idd, equals: x} ], to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:43 routes[0].filters[0].field 'param.idd': 'idd' is not a parameter of the route's topic (did you mean 'param.id'?)");
        assertThat(error(SINKS + "routes:\n  - { topic: a, filters: [ {field: payload.t, gt: 1, lt: 5} ], to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:28 routes[0].filters[0]: a filter takes one comparison, got gt, lt "
                        + "(one of equals, notEquals, in, matches, gt, gte, lt, lte, exists, e.g. {field: payload.temp, gt: 30})");
        assertThat(error(SINKS + "routes:\n  - { topic: a, filters: [ {field: payload.t, gt: warm} ], to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:51 routes[0].filters[0].gt: expected a number, got the string 'warm'");
        assertThat(error(SINKS + "routes:\n  - { topic: a, filters: [ {field: body.t, exists: true} ], to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:36 routes[0].filters[0].field 'body.t': unknown field "
                        + "(field: topic | param.<name> | payload.<json.path> | userProperty.<name>)");
    }

    @Test
    void templateBodyNeedsATemplate() {
        assertThat(error("sinks: { s: { http: { urls: [http://h/x], body: template } } }\nroutes: [ {topic: a, to: [s]} ]\n"))
                .isEqualTo("routemq.yaml:1:49 sinks.s.http.body: body: template needs a template (add template: '{\"topic\": \"${topic}\", \"data\": ${payload}}')");
    }

    @Test
    void severalBrokersAndARouteThatNamesNone() {
        String yaml = SINKS + "brokers: { a: { url: mqtt://h1 }, b: { url: mqtt://h2 } }\nroutes:\n  - { topic: x, to: [ingest] }\n";
        assertThat(error(yaml)).isEqualTo("routemq.yaml:6:5 routes[0]: there are 2 brokers, so the route must name one (add broker: one of a, b)");
    }

    @Test
    void sameClientIdOnTheSameServer() {
        String yaml = "brokers:\n  a: { url: mqtt://h, clientId: gw }\n  b: { url: 'mqtt://h:1883', clientId: gw }\n";
        assertThat(error(yaml)).isEqualTo("routemq.yaml:3:40 brokers.b.clientId 'gw': the same client id as broker 'a' on the same server: "
                + "the two sessions would keep disconnecting each other (give each a distinct clientId)");
    }

    @Test
    void reservedAndInvalidNames() {
        assertThat(error("brokers: { embedded: { url: mqtt://h } }\n"))
                .isEqualTo("routemq.yaml:1:12 brokers.embedded: the name 'embedded' is taken by the embedded broker (choose another name)");
        assertThat(error("sinks: { 'my sink': { http: { urls: [http://h/x] } } }\n"))
                .isEqualTo("routemq.yaml:1:10 sinks[\"my sink\"]: invalid sink name 'my sink' (use letters, digits, '_', '.' and '-' only)");
    }

    @Test
    void tlsWithAPlainUrl() {
        assertThat(error("brokers: { p: { url: mqtt://h, tls: { insecure: true } } }\n"))
                .isEqualTo("routemq.yaml:1:32 brokers.p.tls: tls is set but the url is mqtt:// (use mqtts:// or remove tls)");
        assertThat(error("brokers: { p: { url: mqtts://h, tls: { ca: /no/such/ca.pem } } }\n"))
                .startsWith("routemq.yaml:1:44 brokers.p.tls.ca '/no/such/ca.pem': file not found (relative paths are relative to the working directory ");
    }

    @Test
    void retryRangeGoingDown() {
        assertThat(error("sinks: { s: { http: { urls: [http://h/x] }, retry: { backoff: 1m..1s } } }\nroutes: [ {topic: a, to: [s]} ]\n"))
                .isEqualTo("routemq.yaml:1:63 sinks.s.retry.backoff: the range goes down: 1m is longer than 1s (write the shorter delay first)");
    }

    @Test
    void embeddedBrokerOffAndNoBrokers() {
        assertThat(error(SINKS + "broker: { enabled: false }\nroutes:\n  - { topic: a, to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:6:5 routes[0]: there is no broker to subscribe on: no brokers are configured and the embedded broker is off "
                        + "(add brokers: or set broker.enabled: true)");
    }

    @Test
    void everyErrorIsReportedAtOnceInFileOrder() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of()).parse(
                "admin: { port: x }\nlogging: { level: loud }\nqueue: { fsync: sometimes }\n", "routemq.yaml"));
        assertThat(e.getMessage()).isEqualTo("""
                3 errors in routemq.yaml:
                  routemq.yaml:1:16 admin.port: expected a number, got the string 'x'
                  routemq.yaml:2:19 logging.level 'loud': unknown value (use one of: trace, debug, info, warn, error, off)
                  routemq.yaml:3:17 queue.fsync 'sometimes': unknown value (use one of: always, interval, never)""");
    }

    @Test
    void environmentOverrideErrors() {
        assertThat(errors("brokers: { p: { url: mqtt://h } }\n", "routemq.yaml", Map.of("MQTT_PORT", "eighteen")))
                .containsExactly("environment MQTT_PORT 'eighteen': not a port number (set a number from 1 to 65535)");
        assertThat(errors("brokers: { a: { url: mqtt://h1 }, b: { url: mqtt://h2 } }\n", "routemq.yaml", Map.of("MQTT_USERNAME", "u")))
                .containsExactly("environment MQTT_USERNAME: cannot tell which broker to apply it to: there are 2 brokers and none is named "
                        + "'default' (name one of them 'default' (a, b), or unset MQTT_USERNAME)");
        assertThat(errors("admin: {}\n", "routemq.yaml", Map.of("WORKER_COUNT", "0")))
                .containsExactly("environment WORKER_COUNT '0': not a worker count (set a number from 1 to 1024)");
    }
}
