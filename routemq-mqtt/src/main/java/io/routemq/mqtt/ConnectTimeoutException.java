package io.routemq.mqtt;

/** Connecting to the broker took longer than the connect timeout (TCP connect, TLS handshake or CONNACK). */
public class ConnectTimeoutException extends MqttException {
    private static final long serialVersionUID = 1L;

    /** See {@link MqttException#MqttException(String, String, String, Throwable)}. */
    public ConnectTimeoutException(String session, String broker, String message, Throwable cause) {
        super(session, broker, message, cause);
    }
}
