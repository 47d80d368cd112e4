package io.routemq.mqtt;

/** The TLS handshake with the broker failed: an untrusted certificate, a host name that does not match it, or a TLS setup that cannot be read. */
public class TlsException extends MqttException {
    private static final long serialVersionUID = 1L;

    /** See {@link MqttException#MqttException(String, String, String, Throwable)}. */
    public TlsException(String session, String broker, String message, Throwable cause) {
        super(session, broker, message, cause);
    }
}
