package io.routemq.mqtt;

/** The broker refused the credentials: bad user name or password, or not authorized to connect. */
public class AuthenticationException extends ConnectionRefusedException {
    private static final long serialVersionUID = 1L;

    /** See {@link ConnectionRefusedException}. */
    public AuthenticationException(String session, String broker, int reasonCode, String reason, String message, Throwable cause) {
        super(session, broker, reasonCode, reason, message, cause);
    }
}
