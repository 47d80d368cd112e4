package io.routemq.broker;

/**
 * The broker configuration is invalid: a bad value, a missing password file or TLS file, an unusable data directory.
 * The message names the key (e.g. {@code broker.passwordFile}) and the fix.
 */
public class BrokerConfigException extends BrokerException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, where, and what to do */
    public BrokerConfigException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, where, and what to do
     * @param cause   the underlying error
     */
    public BrokerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
