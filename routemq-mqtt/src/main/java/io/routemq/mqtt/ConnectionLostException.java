package io.routemq.mqtt;

/** An established connection was closed: by the broker (with its reason), by the network, or by a keep-alive timeout. */
public class ConnectionLostException extends MqttException {
    private static final long serialVersionUID = 1L;

    /** See {@link MqttException#MqttException(String, String, String, Throwable)}. */
    public ConnectionLostException(String session, String broker, String message, Throwable cause) {
        super(session, broker, message, cause);
    }
}
