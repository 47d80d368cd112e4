package io.routemq.mqtt;

/** The MQTT protocol version a session speaks. */
public enum ProtocolVersion {
    /** MQTT 3.1.1. No properties, reason codes or receive maximum on the wire. */
    MQTT_3_1_1,
    /** MQTT 5.0 (the default). */
    MQTT_5
}
