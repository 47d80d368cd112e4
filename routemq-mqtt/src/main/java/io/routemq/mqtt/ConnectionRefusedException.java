package io.routemq.mqtt;

/** The broker answered CONNECT with a CONNACK that refuses the connection. The reason code says why. */
public class ConnectionRefusedException extends MqttException {
    private static final long serialVersionUID = 1L;
    private final int reasonCode;
    private final String reason;

    /**
     * @param reasonCode the CONNACK reason code (MQTT 5) or return code (MQTT 3.1.1)
     * @param reason     the reason code's name, such as {@code SERVER_UNAVAILABLE}
     */
    public ConnectionRefusedException(String session, String broker, int reasonCode, String reason, String message, Throwable cause) {
        super(session, broker, message, cause);
        this.reasonCode = reasonCode;
        this.reason = reason;
    }

    /** The CONNACK reason code (MQTT 5) or return code (MQTT 3.1.1). */
    public int reasonCode() {
        return reasonCode;
    }

    /** The reason code's name. */
    public String reason() {
        return reason;
    }
}
