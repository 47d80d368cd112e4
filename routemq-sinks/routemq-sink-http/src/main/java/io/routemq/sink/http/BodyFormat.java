package io.routemq.sink.http;

import java.util.Locale;

/** The request body format. */
public enum BodyFormat {
    /** The payload bytes as they are; Content-Type is the MQTT 5 content type when the message has one. */
    RAW,
    /** A JSON object with topic, params, qos, retain, timestamp, user properties and the payload. */
    ENVELOPE,
    /** {@code {"body":"...","header":"..."}} exactly as the Go EMQX middleware (mqtt_pro) posts it. */
    GO,
    /** A text template with {@code ${topic}}, {@code ${param.x}}, {@code ${payload.a.b}} and more. */
    TEMPLATE;

    /** Parses {@code raw}, {@code envelope}, {@code go} and {@code template}. */
    public static BodyFormat parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "raw" -> RAW;
            case "envelope" -> ENVELOPE;
            case "go" -> GO;
            case "template" -> TEMPLATE;
            default -> throw new IllegalArgumentException("body: unknown body format '" + text + "'; use raw, envelope, go or template");
        };
    }
}
