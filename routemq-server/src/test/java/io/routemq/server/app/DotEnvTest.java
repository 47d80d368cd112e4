package io.routemq.server.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DotEnvTest {

    @Test
    void theEnvironmentWinsOverTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve(".env"), """
                # broker
                MQTT_BROKER=broker.local
                export MQTT_PORT=1884
                MQTT_PASSWORD="s3cret # not a comment"
                MQTT_CLIENT_ID='app-1'
                WORKER_COUNT=4 # a comment
                """);
        Map<String, String> merged = DotEnv.merge(file, Map.of("MQTT_PORT", "1883"));
        assertThat(merged).containsEntry("MQTT_BROKER", "broker.local").containsEntry("MQTT_PORT", "1883")
                .containsEntry("MQTT_PASSWORD", "s3cret # not a comment").containsEntry("MQTT_CLIENT_ID", "app-1")
                .containsEntry("WORKER_COUNT", "4");
        assertThat(DotEnv.merge(dir.resolve("absent.env"), Map.of("A", "1"))).isEqualTo(Map.of("A", "1"));
    }

    @Test
    void aMalformedLineNamesFileAndLine() {
        assertThatThrownBy(() -> DotEnv.parse(List.of("A=1", "", "not a pair"), ".env"))
                .hasMessageStartingWith(".env:3: expected NAME=value");
        assertThatThrownBy(() -> DotEnv.parse(List.of("B=\"open"), ".env")).hasMessageContaining(".env:1:");
    }

    @Test
    void settingsReadTypedValuesAndNameTheBadOne() {
        Settings s = new Settings(Map.of("N", "5", "D", "1m30s", "BAD", "x"));
        assertThat(s.getInt("N", 0)).isEqualTo(5);
        assertThat(s.getDuration("D", null)).hasSeconds(90);
        assertThat(s.get("MISSING", "dflt")).isEqualTo("dflt");
        assertThatThrownBy(() -> s.getInt("BAD", 0)).hasMessage("BAD=x is not an integer");
        assertThatThrownBy(() -> s.require("MISSING")).hasMessageContaining("MISSING is not set");
    }
}
