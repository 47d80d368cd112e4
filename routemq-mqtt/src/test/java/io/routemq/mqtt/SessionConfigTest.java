package io.routemq.mqtt;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options, URL schemes, defaults, the reconnect policy and its environment names. */
class SessionConfigTest {

    @Test
    void defaults() {
        SessionConfig c = SessionConfig.builder("mqtt://broker.example").build();
        assertThat(c.name()).isEqualTo("default");
        assertThat(c.port()).isEqualTo(1883);
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.cleanStart()).isTrue();
        assertThat(c.protocolVersion()).isEqualTo(ProtocolVersion.MQTT_5);
        assertThat(c.receiveMaximum()).isEqualTo(65535);
        assertThat(c.maxInFlight()).isEqualTo(256);
        assertThat(c.sharePrefix()).isEqualTo("$share");
        assertThat(c.reconnect()).isEqualTo(ReconnectPolicy.DEFAULT);
        assertThat(c.effectiveTls().hostnameVerification()).isTrue();
        assertThat(c.effectiveTls().insecure()).isFalse();
    }

    @Test
    void urlSchemes() {
        assertThat(SessionConfig.builder("mqtts://h").build().port()).isEqualTo(8883);
        assertThat(SessionConfig.builder("mqtts://h").build().tlsEnabled()).isTrue();
        SessionConfig ws = SessionConfig.builder("ws://h:8080/path/mqtt").build();
        assertThat(ws.webSocket()).isTrue();
        assertThat(ws.port()).isEqualTo(8080);
        assertThat(ws.webSocketPath()).isEqualTo("path/mqtt");
        SessionConfig wss = SessionConfig.builder("wss://h").build();
        assertThat(wss.port()).isEqualTo(443);
        assertThat(wss.tlsEnabled()).isTrue();
        assertThat(wss.webSocketPath()).isEqualTo("mqtt");
        assertThatThrownBy(() -> SessionConfig.builder("plant", "http://h").build())
                .hasMessageContaining("session 'plant'").hasMessageContaining("mqtt://");
        assertThatThrownBy(() -> SessionConfig.builder("mqtt://:1883").build()).hasMessageContaining("no host");
    }

    @Test
    void persistentSessionNeedsAClientId() {
        assertThatThrownBy(() -> SessionConfig.builder("p", "mqtt://h").persistentSession(Duration.ofHours(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
        SessionConfig c = SessionConfig.builder("p", "mqtt://h").clientId("c").persistentSession(Duration.ofHours(1)).build();
        assertThat(c.cleanStart()).isFalse();
        assertThat(c.sessionExpiry()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void passwordIsNeverPrinted() {
        SessionConfig c = SessionConfig.builder("mqtt://h").credentials("u", "s3cret").build();
        assertThat(c.toString()).doesNotContain("s3cret").contains("***");
    }

    @Test
    void invalidOptionsNameTheSession() {
        assertThatThrownBy(() -> SessionConfig.builder("x", "mqtt://h").receiveMaximum(0).build()).hasMessageContaining("session 'x'")
                .hasMessageContaining("receiveMaximum");
        assertThatThrownBy(() -> SessionConfig.builder("x", "mqtt://h").maxInFlight(0).build()).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> SessionConfig.builder("x", "mqtt://h").sharePrefix("a/b").build()).hasMessageContaining("sharePrefix");
        assertThatThrownBy(() -> TlsConfig.builder().clientCertificate(java.nio.file.Path.of("c.pem"), null).build())
                .hasMessageContaining("keyFile");
    }

    @Test
    void backoffGrowsCapsAndJitters() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.5);
        assertThat(p.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delay(2, () -> 0.0)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delay(3, () -> 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delay(3, () -> 0.999)).isBetween(Duration.ofMillis(590), Duration.ofMillis(600));
        assertThat(p.delay(30, () -> 0.999)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void reconnectPolicyFromThePythonEnvironmentNames() {
        ReconnectPolicy p = ReconnectPolicy.fromEnvironment(Map.of("MQTT_RETRY_MIN_DELAY", "0.5", "MQTT_RETRY_MAX_DELAY", "9",
                "MQTT_RETRY_JITTER", "0.1", "MQTT_RETRY_MULTIPLIER", "3"));
        assertThat(p.initialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(9));
        assertThat(p.jitter()).isEqualTo(0.1);
        assertThat(p.multiplier()).isEqualTo(3.0);
        assertThat(ReconnectPolicy.fromEnvironment(Map.of())).isEqualTo(ReconnectPolicy.DEFAULT);
        assertThatThrownBy(() -> ReconnectPolicy.fromEnvironment(Map.of("MQTT_RETRY_MIN_DELAY", "soon")))
                .hasMessageContaining("MQTT_RETRY_MIN_DELAY").hasMessageContaining("soon");
        assertThatThrownBy(() -> ReconnectPolicy.fromEnvironment(Map.of("MQTT_RETRY_MIN_DELAY", "5", "MQTT_RETRY_MAX_DELAY", "1")))
                .hasMessageContaining("MQTT_RETRY_MAX_DELAY");
    }

    @Test
    void sharedSubscriptionFilter() {
        SubscriptionSpec s = SubscriptionSpec.shared("a/+", 1, "g", 3);
        assertThat(s.topicFilter("$share")).isEqualTo("$share/g/a/+");
        assertThat(s.topicFilter("$queue")).isEqualTo("$queue/g/a/+");
        assertThatThrownBy(() -> new SubscriptionSpec("a", 1, null, 2, false, false, 0)).hasMessageContaining("shared group");
    }
}
