package io.routemq.middleware;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The options of {@link Validate}: the schema of a config route's {@code validate:} middleware. The schema is read
 * and compiled when the options are built, so a config check reports a missing file or a bad schema.
 *
 * @param schema     the JSON Schema, as JSON text (draft 2020-12 unless its {@code $schema} names another draft)
 * @param schemaFile the file it was read from, or null
 * @param deadLetter the sink an invalid message is appended to, with its validation errors; null to drop it
 * @param maxErrors  how many validation errors are kept with a dead letter and in the DEBUG line (default 10)
 */
public record ValidateConfig(String schema, Path schemaFile, String deadLetter, int maxErrors) {

    /** Validates and compiles the schema; messages name the key as written under {@code validate:}. */
    public ValidateConfig {
        Objects.requireNonNull(schema, "schema");
        if (deadLetter != null && deadLetter.isBlank()) throw new IllegalArgumentException("deadLetter: must name a sink");
        if (maxErrors < 1) throw new IllegalArgumentException("maxErrors: must be at least 1, got " + maxErrors);
        compile(schema, schemaFile);
    }

    /** @param json the schema as JSON text @return options that drop invalid messages */
    public static ValidateConfig schema(String json) {
        return new ValidateConfig(json, null, null, 10);
    }

    /**
     * @param file a JSON Schema file
     * @return options that drop invalid messages
     * @throws IllegalArgumentException naming {@code schema} when the file cannot be read or is not a schema
     */
    public static ValidateConfig schemaFile(Path file) {
        try {
            return new ValidateConfig(Files.readString(file, StandardCharsets.UTF_8), file, null, 10);
        } catch (IOException e) {
            throw new IllegalArgumentException("schema: cannot read the schema file '" + file + "': " + e, e);
        }
    }

    /** @param sink the dead-letter sink @return these options, appending invalid messages to the sink */
    public ValidateConfig deadLetterTo(String sink) {
        return new ValidateConfig(schema, schemaFile, sink, maxErrors);
    }

    /** @param max how many errors to keep @return these options with it */
    public ValidateConfig withMaxErrors(int max) {
        return new ValidateConfig(schema, schemaFile, deadLetter, max);
    }

    static com.networknt.schema.Schema compile(String schema, Path file) {
        String where = file != null ? " in '" + file + "'" : "";
        JsonNode node;
        try {
            node = JsonMapper.builder().build().readTree(schema);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("schema: the schema" + where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            throw new IllegalArgumentException("schema: the schema" + where + " must be a JSON object (or true/false)");
        }
        try {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(node);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema: the schema" + where + " is not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ValidateConfig[schema=" + (schemaFile != null ? schemaFile : schema.length() + " chars")
                + (deadLetter != null ? ", deadLetter=" + deadLetter : ", drop") + "]";
    }

    /**
     * Whether a validation with these options never blocks its thread: true without a dead-letter sink; with one an
     * invalid message waits until its dead letter is durable. The rule of {@link Validate#nonBlocking()} and of
     * {@code routemq check}.
     *
     * @return true when it never blocks
     */
    public boolean nonBlocking() {
        return deadLetter == null;
    }
}
