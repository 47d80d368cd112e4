package io.routemq.core;

import java.util.Objects;

/**
 * A message to publish through a {@link Publisher}.
 *
 * @param session    the session to publish on; null means the session the current message arrived on, or the
 *                   default session outside a handler
 * @param topic      the topic (no wildcards)
 * @param payload    the payload bytes
 * @param qos        0, 1 or 2
 * @param retain     the retain flag
 * @param properties MQTT 5 properties ({@link MessageProperties#NONE} for none)
 */
public record Publication(String session, String topic, byte[] payload, int qos, boolean retain, MessageProperties properties) {
    /** Validates the fields. */
    public Publication {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (topic.isEmpty()) throw new IllegalArgumentException("cannot publish to an empty topic");
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new IllegalArgumentException("cannot publish to '" + topic + "': a topic name must not contain '+' or '#'");
        }
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos + " for topic '" + topic + "'");
        if (properties == null) properties = MessageProperties.NONE;
    }

    /** This publication on a named session. */
    public Publication onSession(String name) {
        return new Publication(name, topic, payload, qos, retain, properties);
    }
}
