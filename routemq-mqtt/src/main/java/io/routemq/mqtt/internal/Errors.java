package io.routemq.mqtt.internal;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3DisconnectException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.routemq.mqtt.AuthenticationException;
import io.routemq.mqtt.BrokerUnreachableException;
import io.routemq.mqtt.ConnectTimeoutException;
import io.routemq.mqtt.ConnectionLostException;
import io.routemq.mqtt.ConnectionRefusedException;
import io.routemq.mqtt.MqttException;
import io.routemq.mqtt.TlsException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps client failures to the typed {@link MqttException}s, with messages that name the session and broker. */
final class Errors {
    private Errors() {
    }

    /** Unwraps completion and execution wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }

    /** The typed error for a connection failure. */
    public static MqttException map(Throwable raw, String session, String broker) {
        Throwable t = unwrap(raw);
        if (t instanceof MqttException m) return m;
        String where = "session '" + session + "' broker " + broker;
        if (t instanceof Mqtt5ConnAckException e) {
            Mqtt5ConnAckReasonCode rc = e.getMqttMessage().getReasonCode();
            String reasonString = e.getMqttMessage().getReasonString().map(Object::toString).orElse(null);
            String msg = where + " refused the connection: " + rc + " (0x" + Integer.toHexString(rc.getCode()) + ")"
                    + (reasonString != null ? ": " + reasonString : "");
            if (rc == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD || rc == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED
                    || rc == Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD) {
                return new AuthenticationException(session, broker, rc.getCode(), rc.name(),
                        "authentication failed: " + msg + "; check the session's username and password", t);
            }
            return new ConnectionRefusedException(session, broker, rc.getCode(), rc.name(), msg, t);
        }
        if (t instanceof Mqtt3ConnAckException e) {
            Mqtt3ConnAckReturnCode rc = e.getMqttMessage().getReturnCode();
            String msg = where + " refused the connection: " + rc + " (" + rc.getCode() + ")";
            if (rc == Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD || rc == Mqtt3ConnAckReturnCode.NOT_AUTHORIZED) {
                return new AuthenticationException(session, broker, rc.getCode(), rc.name(),
                        "authentication failed: " + msg + "; check the session's username and password", t);
            }
            return new ConnectionRefusedException(session, broker, rc.getCode(), rc.name(), msg, t);
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException || c instanceof CertificateException) {
                return new TlsException(session, broker, "TLS handshake failed: " + where + ": " + c.getMessage()
                        + "; check the CA (tls.ca), that the certificate names this host, or the client certificate", t);
            }
            if (c instanceof UnknownHostException) {
                return new BrokerUnreachableException(session, broker, "cannot reach " + where + ": unknown host " + c.getMessage()
                        + "; check the url", t);
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
                if (c.getClass().getName().contains("ConnectTimeout") || String.valueOf(c.getMessage()).contains("timed out")) {
                    return new ConnectTimeoutException(session, broker, "connect to " + where + " timed out: " + c.getMessage(), t);
                }
                return new BrokerUnreachableException(session, broker, "cannot connect to " + where + ": " + c.getMessage()
                        + "; is the broker running and listening on that host and port?", t);
            }
            if (c.getClass().getName().endsWith("ConnectTimeoutException")
                    || (c.getMessage() != null && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout"))) {
                return new ConnectTimeoutException(session, broker, "connect to " + where + " timed out: " + c.getMessage()
                        + "; raise connectTimeout or check the network", t);
            }
        }
        if (t instanceof Mqtt5DisconnectException e) {
            return new ConnectionLostException(session, broker, where + " disconnected: " + e.getMqttMessage().getReasonCode()
                    + e.getMqttMessage().getReasonString().map(r -> " (" + r + ")").orElse(""), t);
        }
        if (t instanceof Mqtt3DisconnectException || t instanceof ConnectionClosedException) {
            return new ConnectionLostException(session, broker, "connection to " + where + " lost: " + t.getMessage(), t);
        }
        return new ConnectionLostException(session, broker, "connection to " + where + " failed: " + t, t);
    }

    /** Whether retrying soon will not help (credentials, TLS, an explicit refusal). */
    public static boolean permanent(MqttException e) {
        return e instanceof ConnectionRefusedException || e instanceof TlsException;
    }
}
