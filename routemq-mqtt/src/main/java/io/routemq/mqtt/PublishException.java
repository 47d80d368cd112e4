package io.routemq.mqtt;

/** A publish failed: the broker refused it, or the session could not deliver it. */
public class PublishException extends MqttException {
    private static final long serialVersionUID = 1L;

    /** See {@link MqttException#MqttException(String, String, String, Throwable)}. */
    public PublishException(String session, String broker, String message, Throwable cause) {
        super(session, broker, message, cause);
    }
}
