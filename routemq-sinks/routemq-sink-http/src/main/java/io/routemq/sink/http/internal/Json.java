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
        if (!mayStartJson(payload)) return null;
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

    /**
     * Whether the first byte after JSON whitespace can start a JSON value. A binary payload (protobuf, CBOR, a bench
     * header) is told apart here instead of by a strict UTF-8 decode that fails with an exception: for every such
     * message the body writer had allocated a decoder and thrown.
     */
    static boolean mayStartJson(byte[] payload) {
        for (byte b : payload) {
            switch (b) {
                case ' ', '\t', '\n', '\r' -> {
                }
                case '{', '[', '"', '-', 't', 'f', 'n', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
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
