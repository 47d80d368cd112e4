package io.routemq.mqtt;

/**
 * Base of the typed MQTT errors. Each names the session and the broker it concerns, so a log line says where to look.
 * Subclasses: {@link ConnectionRefusedException} (with {@link AuthenticationException}), {@link TlsException},
 * {@link ConnectTimeoutException}, {@link BrokerUnreachableException}, {@link ConnectionLostException},
 * {@link SubscriptionRefusedException} and {@link PublishException}.
 */
public class MqttException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String session;
    private final String broker;

    /**
     * @param session the session name (may be null when not known)
     * @param broker  the broker URL (may be null when not known)
     * @param message what went wrong and what to do
     * @param cause   the underlying error, or null
     */
    public MqttException(String session, String broker, String message, Throwable cause) {
        super(message, cause);
        this.session = session;
        this.broker = broker;
    }

    /** The session name, or null. */
    public String session() {
        return session;
    }

    /** The broker URL, or null. */
    public String broker() {
        return broker;
    }
}
