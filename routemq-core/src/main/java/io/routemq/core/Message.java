package io.routemq.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One received MQTT message, as the transport hands it to the {@link Dispatcher}.
 *
 * @param session    the name of the session it arrived on (never null; "default" for the default session)
 * @param topic      the topic it was published to
 * @param payload    the payload bytes (not copied; do not modify)
 * @param qos        0, 1 or 2
 * @param retain     the retain flag
 * @param properties MQTT 5 properties, {@link MessageProperties#NONE} when there are none
 */
public record Message(String session, String topic, byte[] payload, int qos, boolean retain, MessageProperties properties) {

    /** The session name used when none is given. */
    public static final String DEFAULT_SESSION = "default";

    /** Validates the fields. */
    public Message {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos + " for topic '" + topic + "'");
        if (properties == null) properties = MessageProperties.NONE;
    }

    /** A QoS 0 message on the default session with no properties. */
    public static Message of(String topic, byte[] payload) {
        return new Message(DEFAULT_SESSION, topic, payload, 0, false, MessageProperties.NONE);
    }

    /** A QoS 0 message with a UTF-8 text payload on the default session. */
    public static Message of(String topic, String payload) {
        return of(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** This message with another QoS. */
    public Message withQos(int newQos) {
        return new Message(session, topic, payload, newQos, retain, properties);
    }

    /** This message with other properties. */
    public Message withProperties(MessageProperties newProperties) {
        return new Message(session, topic, payload, qos, retain, newProperties);
    }

    @Override
    public String toString() {
        return "Message[session=" + session + ", topic=" + topic + ", qos=" + qos + ", retain=" + retain
                + ", payload=" + payload.length + " bytes]";
    }
}
