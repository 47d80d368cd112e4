package io.routemq.middleware;

import io.routemq.core.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.routemq.core.Outcome.FAILED;
import static io.routemq.core.Outcome.FILTERED;
import static io.routemq.core.Outcome.HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON Schema validation through a real Router and Dispatcher, dropping or dead-lettering. */
class ValidateTest {
    static final String SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "required": ["temp"], "properties": {"temp": {"type": "number", "maximum": 200}, "unit": {"enum": ["C", "F"]}}}
            """;

    @Test
    void validPassesInvalidIsDroppedAndCounted() throws Exception {
        MiddlewareCounters counters = new MiddlewareCounters();
        try (Pipeline p = new Pipeline((r, h) -> r.on("t/#", h).to("ingest").middleware(Validate.of(ValidateConfig.schema(SCHEMA), counters)))) {
            assertThat(p.send("t/1", "{\"temp\": 21.5, \"unit\": \"C\"}")).isEqualTo(HANDLED);
            assertThat(p.send("t/1", "{\"temp\": 900}")).isEqualTo(FILTERED);
            assertThat(p.send("t/1", "{\"unit\": \"K\"}")).isEqualTo(FILTERED);
            assertThat(p.send("t/1", "not json")).isEqualTo(FILTERED);
            assertThat(p.handled).hasSize(1);
            assertThat(p.appended.get("ingest")).hasSize(1);
            assertThat(p.appended).doesNotContainKey("invalid");
            assertThat(counters.count("validate", "invalid")).isEqualTo(3);
        }
    }

    @Test
    void invalidGoesToTheDeadLetterSinkWithItsErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("telemetry.json");
        Files.writeString(file, SCHEMA);
        MiddlewareCounters counters = new MiddlewareCounters();
        try (Pipeline p = new Pipeline((r, h) -> r.on("t/{id}", h).to("ingest")
                .middleware(Validate.of(ValidateConfig.schemaFile(file).deadLetterTo("invalid"), counters)))) {
            assertThat(p.send("t/7", "{\"temp\": 900, \"unit\": \"K\"}", "trace", "abc")).isEqualTo(FILTERED);
            assertThat(p.send("t/7", "{\"temp\": 1}")).isEqualTo(HANDLED);
            assertThat(p.appended.get("ingest")).hasSize(1);
            assertThat(p.appended.get("invalid")).singleElement().satisfies(e -> {
                assertThat(e.topic()).isEqualTo("t/7");
                assertThat(e.params()).containsEntry("id", "7");
                assertThat(new String(e.payload())).contains("900");
                assertThat(e.userProperties()).contains(new UserProperty("trace", "abc"));
                String errors = e.userProperties().stream().filter(u -> u.name().equals(Validate.ERRORS_PROPERTY))
                        .map(UserProperty::value).findFirst().orElseThrow();
                assertThat(errors).contains("/temp").contains("200").contains("/unit");
            });
            assertThat(counters.count("validate", "dead_lettered")).isEqualTo(1);
        }
    }

    @Test
    void anUnknownDeadLetterSinkFailsTheMessageNamingTheSink() throws Exception {
        try (Pipeline p = new Pipeline((r, h) -> r.on("t/#", h)
                .middleware(Validate.of(ValidateConfig.schema(SCHEMA).deadLetterTo("invalidd"))))) {
            assertThat(p.send("t/1", "{}")).isEqualTo(FAILED);
        }
    }

    @Test
    void badSchemasNameTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> ValidateConfig.schema("{not json")).hasMessageStartingWith("schema:").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ValidateConfig.schema("[1]")).hasMessageStartingWith("schema:");
        assertThatThrownBy(() -> ValidateConfig.schemaFile(dir.resolve("none.json"))).hasMessageStartingWith("schema:");
        assertThatThrownBy(() -> ValidateConfig.schema(SCHEMA).deadLetterTo(" ")).hasMessageStartingWith("deadLetter:");
    }

}
