package io.routemq.sink.http.internal;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Shared JSON machinery (thread-safe, no mutable state). */
final class Json {

    /** Factory for generators and parsers. */
    public static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** Mapper for payload trees: exact decimals, plain BigDecimal output. */
    public static final JsonMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private Json() {
    }

    /**
     * The payload as JSON text (leading and trailing whitespace removed) when it is strict UTF-8 and exactly one JSON
     * value, else null.
     */
    public static String jsonText(byte[] payload) {
        String text = strictUtf8(payload);
        if (text == null) return null;
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), text)) {
            JsonToken first = p.nextToken();
            if (first == null) return null;
            p.skipChildren();
            if (p.nextToken() != null) return null;
        } catch (JacksonException e) {
            return null;
        }
        return text.strip();
    }

    /** The payload as a JSON tree, or null when it is not JSON. */
    public static JsonNode tree(byte[] payload) {
        String text = jsonText(payload);
        if (text == null) return null;
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** Decodes strict UTF-8, or null when the bytes are not UTF-8 (or empty). */
    public static String strictUtf8(byte[] bytes) {
        if (bytes.length == 0) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
