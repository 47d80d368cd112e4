package io.routemq.server.config;

import io.routemq.mqtt.SessionConfig;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ${VAR} substitution and the Python RouteMQ's environment overrides. */
class EnvironmentTest {

    static final String ONE_BROKER = """
            brokers:
              plant:
                url: mqtts://plant.example:8883
                username: file-user
            routes:
              - { topic: a/#, to: [s], shared: { group: file-group, workers: 2 } }
              - { topic: b/#, to: [s] }
            sinks:
              s: { http: { urls: [http://h/x] } }
            """;

    static LoadedConfig load(String yaml, Map<String, String> env) {
        return new ConfigLoader(env).parse(yaml, "routemq.yaml");
    }

    @Test
    void substitutesVariablesDefaultsAndEscapes() {
        GatewayConfig c = load("""
                brokers:
                  p:
                    url: mqtt://${HOST}:${PORT:-1883}
                    clientId: gw-${NODE:-local}-${EMPTY:-e}
                    username: ${USER_NAME:-}
                    password: 'p$${not-a-var}'
                    keepAlive: ${KEEPALIVE}
                    cleanStart: ${CLEAN}
                    receiveMaximum: ${RECV}
                """, Map.of("HOST", "10.1.2.3", "EMPTY", "", "KEEPALIVE", "15s", "CLEAN", "false", "RECV", "64")).config();
        SessionConfig p = c.brokers().get("p");
        assertThat(p.url()).isEqualTo("mqtt://10.1.2.3:1883");
        assertThat(p.clientId()).isEqualTo("gw-local-e");
        assertThat(p.username()).isNull();
        assertThat(p.password()).isEqualTo("p${not-a-var}");
        assertThat(p.keepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(p.cleanStart()).isFalse();
        assertThat(p.receiveMaximum()).isEqualTo(64);
    }

    @Test
    void aValueWithYamlCharactersStaysOneValue() {
        // Substitution happens after parsing, so '#', ': ' and quotes in a value cannot change the document's shape.
        GatewayConfig c = load("brokers:\n  p:\n    url: mqtt://h\n    password: ${PW}\n", Map.of("PW", "a: b # c'\"")).config();
        assertThat(c.brokers().get("p").password()).isEqualTo("a: b # c'\"");
    }

    @Test
    void noOverridesWithoutVariables() {
        LoadedConfig l = load(ONE_BROKER, Map.of());
        assertThat(l.overrides()).isEmpty();
        assertThat(l.config().brokers().get("plant").username()).isEqualTo("file-user");
        assertThat(l.config().routes().get(0).shared()).isEqualTo(new RouteConfig.Shared("file-group", 2));
    }

    @Test
    void brokerVariablesOverrideTheOnlyBroker() {
        LoadedConfig l = load(ONE_BROKER, Map.of("MQTT_BROKER", "other.example", "MQTT_PORT", "18883", "MQTT_USERNAME", "env-user",
                "MQTT_PASSWORD", "env-pw", "MQTT_CLIENT_ID", "env-client"));
        SessionConfig b = l.config().brokers().get("plant");
        assertThat(b.url()).isEqualTo("mqtts://other.example:18883");
        assertThat(b.username()).isEqualTo("env-user");
        assertThat(b.password()).isEqualTo("env-pw");
        assertThat(b.clientId()).isEqualTo("env-client");
        assertThat(l.overrides()).containsExactly("brokers.plant host from MQTT_BROKER", "brokers.plant port from MQTT_PORT",
                "brokers.plant username from MQTT_USERNAME", "brokers.plant password from MQTT_PASSWORD",
                "brokers.plant clientId from MQTT_CLIENT_ID");
        assertThat(String.join("\n", l.overrides())).doesNotContain("env-pw");
    }

    @Test
    void mqttBrokerMayBeAUrl() {
        SessionConfig b = load(ONE_BROKER, Map.of("MQTT_BROKER", "ws://127.0.0.1:8083/ws")).config().brokers().get("plant");
        assertThat(b.url()).isEqualTo("ws://127.0.0.1:8083/ws");
    }

    @Test
    void withSeveralBrokersTheOneNamedDefaultIsOverridden() {
        GatewayConfig c = load("""
                brokers:
                  default: { url: mqtt://a }
                  other: { url: mqtt://b }
                """, Map.of("MQTT_PORT", "1999")).config();
        assertThat(c.brokers().get("default").port()).isEqualTo(1999);
        assertThat(c.brokers().get("other").port()).isEqualTo(1883);
    }

    @Test
    void mqttBrokerWithoutBrokersCreatesTheDefaultBroker() {
        LoadedConfig l = load("""
                routes: [ { topic: a/#, to: [s] } ]
                sinks: { s: { http: { urls: [http://h/x] } } }
                """, Map.of("MQTT_BROKER", "broker.local", "MQTT_USERNAME", "u"));
        GatewayConfig c = l.config();
        assertThat(c.brokers().keySet()).containsExactly("default");
        assertThat(c.brokers().get("default").url()).isEqualTo("mqtt://broker.local:1883");
        assertThat(c.brokers().get("default").username()).isEqualTo("u");
        assertThat(c.embeddedBrokerEnabled()).isFalse();
        assertThat(c.routes().get(0).broker()).isEqualTo("default");
    }

    @Test
    void credentialsWithoutABrokerAreIgnoredWithAWarning() {
        LoadedConfig l = load("""
                routes: [ { topic: a/#, to: [s] } ]
                sinks: { s: { http: { urls: [http://h/x] } } }
                """, Map.of("MQTT_USERNAME", "u"));
        assertThat(l.config().brokers()).isEmpty();
        assertThat(l.warnings()).containsExactly("routemq.yaml:1:1: MQTT_USERNAME ignored: no brokers are configured (the embedded "
                + "broker is used); set MQTT_BROKER too to connect to an external broker");
    }

    @Test
    void groupNameAndWorkerCountOverrideEverySharedRoute() {
        LoadedConfig l = load(ONE_BROKER, Map.of("MQTT_GROUP_NAME", "env-group", "WORKER_COUNT", "4"));
        assertThat(l.config().routes().get(0).shared()).isEqualTo(new RouteConfig.Shared("env-group", 4));
        assertThat(l.config().routes().get(1).shared()).as("a route that is not shared stays unshared").isNull();
        assertThat(l.overrides()).containsExactly("shared group of 1 shared route(s) from MQTT_GROUP_NAME",
                "workers of 1 shared route(s) from WORKER_COUNT");
    }

    @Test
    void emptyVariablesCountAsUnset() {
        LoadedConfig l = load(ONE_BROKER, Map.of("MQTT_BROKER", "", "WORKER_COUNT", ""));
        assertThat(l.overrides()).isEmpty();
    }
}
