package io.routemq.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * One external MQTT broker session ({@code brokers.<name>}). The gateway opens one session per entry (and, for a
 * shared route with {@code workers > 1}, that many connections).
 *
 * @param name           the key under {@code brokers}; routes refer to it
 * @param transport      {@code mqtt}, {@code mqtts}, {@code ws} or {@code wss}, from the url
 * @param host           the host from the url
 * @param port           the port from the url (default 1883, 8883, 80, 443 by transport)
 * @param path           the WebSocket path (default {@code /mqtt}); empty for TCP
 * @param clientId       the MQTT client id (default {@code routemq-<name>})
 * @param username       the user name, or null
 * @param password       the password, or null
 * @param keepAlive      the keep-alive interval; zero turns keep-alive off (default 60s)
 * @param cleanStart     whether the session starts clean (default true)
 * @param sessionExpiry  how long the broker keeps the session after a disconnect (default 0s; MQTT 5 only)
 * @param protocol       the MQTT version (default 5)
 * @param receiveMaximum how many QoS 1/2 messages the broker may send before we acknowledge (MQTT 5; default
 *                       65535, the session default {@code SessionConfig.DEFAULT_RECEIVE_MAXIMUM}: see docs/mqtt.md,
 *                       "Flow control")
 * @param maxInFlight    how many of our outgoing QoS 1/2 publishes may be unacknowledged (default 1024)
 * @param sharePrefix    the shared-subscription prefix (default {@code $share})
 * @param tls            TLS files and options (used with mqtts and wss)
 * @param reconnect      the reconnect backoff
 */
public record BrokerConfig(String name, Transport transport, String host, int port, String path, String clientId,
                           String username, Secret password, Duration keepAlive, boolean cleanStart,
                           Duration sessionExpiry, Protocol protocol, int receiveMaximum, int maxInFlight,
                           String sharePrefix, Tls tls, Reconnect reconnect) {

    /** The transport, from the url's scheme. */
    public enum Transport {
        /** TCP. */
        MQTT(1883),
        /** TCP with TLS. */
        MQTTS(8883),
        /** WebSocket. */
        WS(80),
        /** WebSocket with TLS. */
        WSS(443);

        private final int defaultPort;

        Transport(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        /** The port used when the url names none. */
        public int defaultPort() {
            return defaultPort;
        }

        /** Whether this transport uses TLS. */
        public boolean tls() {
            return this == MQTTS || this == WSS;
        }

        /** Whether this transport is a WebSocket. */
        public boolean webSocket() {
            return this == WS || this == WSS;
        }

        /** The url scheme. */
        public String scheme() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The MQTT protocol version. */
    public enum Protocol {
        /** MQTT 5.0. */
        V5("5"),
        /** MQTT 3.1.1. */
        V3_1_1("3.1.1");

        private final String text;

        Protocol(String text) {
            this.text = text;
        }

        /** The version as written in a config. */
        public String text() {
            return text;
        }
    }

    /**
     * TLS options. Without a CA file the JDK's trust store is used.
     *
     * @param ca       a PEM file of CA certificates to trust, or null
     * @param cert     a PEM client certificate (chain) for mutual TLS, or null
     * @param key      the PEM private key of {@code cert}, or null
     * @param insecure skip certificate and host name checks (tests only)
     */
    public record Tls(Path ca, Path cert, Path key, boolean insecure) {
        /** No files, full verification. */
        public static final Tls DEFAULT = new Tls(null, null, null, false);
    }

    /**
     * Reconnect backoff: the delay starts at {@code initialDelay}, is multiplied by {@code multiplier} after each
     * failed attempt up to {@code maxDelay}, and varies randomly by +/- {@code jitter} (a fraction).
     *
     * @param initialDelay the first delay (default 1s)
     * @param maxDelay     the largest delay (default 2m)
     * @param multiplier   the growth factor, at least 1 (default 2.0)
     * @param jitter       the random variation, 0 to 1 (default 0.2)
     */
    public record Reconnect(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
        /** The defaults. */
        public static final Reconnect DEFAULT = new Reconnect(Duration.ofSeconds(1), Duration.ofMinutes(2), 2.0, 0.2);
    }

    /** The url, normalized: {@code scheme://host:port[path]}. */
    public String url() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return transport.scheme() + "://" + h + ":" + port + (transport.webSocket() ? path : "");
    }

    /** Whether the session uses TLS. */
    public boolean tlsEnabled() {
        return transport.tls();
    }

    /**
     * Whether a restart resumes the session, so that nothing the broker held for us meanwhile is lost: clean start
     * off and, with MQTT 5, a session expiry above zero (MQTT 3.1.1 keeps a non-clean session by broker policy).
     */
    public boolean persistentSession() {
        return !cleanStart && (protocol == Protocol.V3_1_1 || !sessionExpiry.isZero());
    }
}
