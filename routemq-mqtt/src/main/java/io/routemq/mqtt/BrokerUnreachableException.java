package io.routemq.mqtt;

/** Nothing accepted the TCP connection: no broker listens at that address, or the host is unknown or unreachable. */
public class BrokerUnreachableException extends MqttException {
    private static final long serialVersionUID = 1L;

    /** See {@link MqttException#MqttException(String, String, String, Throwable)}. */
    public BrokerUnreachableException(String session, String broker, String message, Throwable cause) {
        super(session, broker, message, cause);
    }
}
