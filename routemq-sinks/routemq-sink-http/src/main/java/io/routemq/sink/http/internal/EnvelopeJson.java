package io.routemq.sink.http.internal;

import io.routemq.core.UserProperty;
import io.routemq.core.sink.Envelope;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

import java.io.ByteArrayOutputStream;
import java.util.List;

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(e.payload().length + 256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(g, e);
        }
        return out.toByteArray();
    }

    /** Several envelopes as a JSON array of envelope objects. */
    public static byte[] array(List<Envelope> envelopes) {
        int size = 2;
        for (Envelope e : envelopes) size += e.payload().length + 256;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try (JsonGenerator g = Json.FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartArray();
            for (Envelope e : envelopes) write(g, e);
            g.writeEndArray();
        }
        return out.toByteArray();
    }

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
