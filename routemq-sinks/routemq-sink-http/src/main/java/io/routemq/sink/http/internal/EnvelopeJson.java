package io.routemq.sink.http.internal;

import io.routemq.core.UserProperty;
import io.routemq.core.sink.Envelope;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/**
 * The JSON envelope body:
 * <pre>{"route":"r","session":"s","topic":"t","params":{..},"qos":1,"retain":false,"timestamp":1700000000000,
 * "contentType":null,"userProperties":[{"name":"a","value":"b"}],"payloadEncoding":"json","payload":{..}}</pre>
 * The payload is embedded verbatim (minus surrounding whitespace) when it is one strict UTF-8 JSON value
 * ({@code payloadEncoding "json"}), else as standard base64 ({@code payloadEncoding "base64"}).
 */
final class EnvelopeJson {

    private EnvelopeJson() {
    }

    /** One envelope as a JSON object. */
    public static byte[] one(Envelope e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeOf(e));
        try (JsonGenerator g = Json.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(g, e);
        }
        return out.toByteArray();
    }

    /**
     * Several envelopes as a JSON array of envelope objects, in the buffer it was written to: not copied into an array
     * of its exact size (the copy of a batch of 100 was 2.4% of the gateway's CPU samples in the bench's http-batch
     * scenario).
     */
    public static Encoded array(List<Envelope> envelopes) {
        int size = 2;
        for (Envelope e : envelopes) size += sizeOf(e) + 1;
        Buffer out = new Buffer(size);
        try (JsonGenerator g = Json.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartArray();
            for (Envelope e : envelopes) write(g, e);
            g.writeEndArray();
        }
        return new Encoded(out.array(), out.size());
    }

    /** Encoded JSON: the first {@code length} bytes of {@code bytes}. */
    record Encoded(byte[] bytes, int length) {
    }

    /** A byte stream whose buffer is handed on as it is. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    /**
     * The envelope's JSON size when its strings are ASCII and need no escaping (most of them): the buffer then never
     * grows. With a base64 payload (binary, 4/3 of its size) a batch of 100 outgrew the former estimate of payload +
     * 256 bytes, and growing a 32 KiB buffer at the generator's last flush was 2.7% of the gateway's CPU samples in
     * the bench's http-batch scenario.
     */
    static int sizeOf(Envelope e) {
        int n = FIXED + e.route().length() + e.session().length() + e.topic().length()
                + (e.contentType() == null ? 0 : e.contentType().length()) + 4 * ((e.payload().length + 2) / 3);
        for (Map.Entry<String, String> p : e.params().entrySet()) n += p.getKey().length() + p.getValue().length() + 6;
        for (UserProperty up : e.userProperties()) n += up.name().length() + up.value().length() + 22;
        return n;
    }

    /**
     * The bytes of an envelope that are always there, a 13-digit timestamp and qos included, plus 16 bytes for the
     * payload's encoding and trimmed whitespace.
     */
    private static final int FIXED = ("{\"route\":\"\",\"session\":\"\",\"topic\":\"\",\"params\":{},\"qos\":1,"
            + "\"retain\":false,\"timestamp\":1700000000000,\"contentType\":null,\"userProperties\":[],"
            + "\"payloadEncoding\":\"base64\",\"payload\":\"\"}").length() + 16;

    private static void write(JsonGenerator g, Envelope e) {
        g.writeStartObject();
        g.writeStringProperty("route", e.route());
        g.writeStringProperty("session", e.session());
        g.writeStringProperty("topic", e.topic());
        g.writeName("params");
        g.writeStartObject();
        e.params().forEach(g::writeStringProperty); // no entry objects: the envelope's parameters walk their array
        g.writeEndObject();
        g.writeNumberProperty("qos", e.qos());
        g.writeBooleanProperty("retain", e.retain());
        g.writeNumberProperty("timestamp", e.receivedAtMillis());
        if (e.contentType() == null) g.writeNullProperty("contentType");
        else g.writeStringProperty("contentType", e.contentType());
        g.writeName("userProperties");
        g.writeStartArray();
        for (UserProperty up : e.userProperties()) {
            g.writeStartObject();
            g.writeStringProperty("name", up.name());
            g.writeStringProperty("value", up.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        String json = Json.jsonText(e.payload());
        if (json != null) {
            g.writeStringProperty("payloadEncoding", "json");
            g.writeName("payload");
            g.writeRawValue(json);
        } else {
            g.writeStringProperty("payloadEncoding", "base64");
            g.writeBinaryProperty("payload", e.payload());
        }
        g.writeEndObject();
    }
}
