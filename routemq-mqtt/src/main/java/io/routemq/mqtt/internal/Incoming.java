package io.routemq.mqtt.internal;

import io.routemq.core.MessageProperties;

/**
 * One received PUBLISH, independent of the protocol version.
 *
 * @param ack sends PUBACK/PUBREC through the client (in the client's order; a no-op for QoS 0 and for messages of
 *            a previous connection)
 */
record Incoming(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties, Runnable ack) {
}
