package io.routemq.server.config;

import io.routemq.config.ConfigException;
import io.routemq.mqtt.ReconnectPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Python RouteMQ's MQTT_RETRY_* variables set the default broker's reconnect backoff. */
class RetryEnvironmentTest {

    @Test
    void retryVariablesOverrideTheReconnectBackoffAndKeepTheRest() {
        LoadedConfig loaded = EnvironmentTest.load(EnvironmentTest.ONE_BROKER, Map.of("MQTT_RETRY_MIN_DELAY", "0.5", "MQTT_RETRY_MAX_DELAY", "90"));
        ReconnectPolicy r = loaded.config().brokers().get("plant").reconnect();
        assertThat(r.initialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(r.maxDelay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.multiplier()).isEqualTo(ReconnectPolicy.DEFAULT.multiplier());
        assertThat(loaded.overrides()).contains("brokers.plant reconnect from MQTT_RETRY_MIN_DELAY");
        assertThat(EnvironmentTest.load(EnvironmentTest.ONE_BROKER, Map.of()).config().brokers().get("plant").reconnect())
                .isEqualTo(ReconnectPolicy.DEFAULT);
    }

    @Test
    void aBadRetryValueIsAConfigErrorNamingTheVariable() {
        assertThatThrownBy(() -> EnvironmentTest.load(EnvironmentTest.ONE_BROKER, Map.of("MQTT_RETRY_JITTER", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MQTT_RETRY_JITTER");
    }
}
