package io.routemq.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The options of one named broker session. Build with {@link #builder(String, String)}:
 * <pre>{@code
 * SessionConfig plant = SessionConfig.builder("plant", "mqtts://broker.plant.example:8883")
 *         .clientId("gateway-1").credentials(user, password)
 *         .persistentSession(Duration.ofHours(1))
 *         .tls(TlsConfig.builder().ca(Path.of("ca.pem")).build())
 *         .build();
 * }</pre>
 *
 * @param name            the session name, used by routes ({@code .session("plant")}) and in logs and metrics
 * @param url             {@code mqtt://host[:1883]}, {@code mqtts://host[:8883]}, {@code ws://host[:80]/path}
 *                        or {@code wss://host[:443]/path} (web socket path default {@code /mqtt})
 * @param clientId        the client identifier; null lets RouteMQ make one (only with a clean start). Shared
 *                        subscription workers 2..N use {@code <clientId>-2} ... {@code <clientId>-N}
 * @param username        the user name, or null
 * @param password        the password, or null (never logged)
 * @param keepAlive       the keep-alive interval (default 60s)
 * @param cleanStart      true (default) for a fresh session at every connect; false to resume a persistent one
 * @param sessionExpiry   how long the broker keeps a persistent session after a disconnect (MQTT 5; default 0).
 *                        With MQTT 3.1.1 a session that is not clean never expires
 * @param protocolVersion MQTT 5 (default) or 3.1.1
 * @param receiveMaximum  the receive maximum sent in CONNECT (MQTT 5; default {@link #DEFAULT_RECEIVE_MAXIMUM},
 *                        65535). Kept high on purpose: see {@code docs/mqtt.md}, "Flow control"
 * @param maxInFlight     the most received QoS 1/2 messages one connection has handed on and not yet
 *                        acknowledged (default 256); beyond it RouteMQ stops reading and delays acks
 * @param tls             TLS options for {@code mqtts://} and {@code wss://}; null for the defaults
 * @param reconnect       the reconnect policy (default {@link ReconnectPolicy#DEFAULT})
 * @param connectTimeout  the time allowed for TCP connect, TLS handshake and CONNACK (default 10s)
 * @param sharePrefix     the prefix of shared subscriptions (default {@code $share})
 */
public record SessionConfig(String name, String url, String clientId, String username, String password, Duration keepAlive,
                            boolean cleanStart, Duration sessionExpiry, ProtocolVersion protocolVersion, int receiveMaximum,
                            int maxInFlight, TlsConfig tls, ReconnectPolicy reconnect, Duration connectTimeout, String sharePrefix) {

    /**
     * The default receive maximum, 65535: the most a 16-bit packet identifier allows, so no broker can exceed it
     * (Mosquitto 2.0.11 does not honour a lower one). Our own bound is {@code maxInFlight}; see {@code docs/mqtt.md},
     * "Flow control". The gateway's {@code brokers:} entries use this default too.
     */
    public static final int DEFAULT_RECEIVE_MAXIMUM = 65535;

    /** Validates the options; errors name the session and the option. */
    public SessionConfig {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("session name must not be blank");
        Objects.requireNonNull(url, "session '" + name + "': url");
        parse(name, url);
        keepAlive = keepAlive == null ? Duration.ofSeconds(60) : keepAlive;
        sessionExpiry = sessionExpiry == null ? Duration.ZERO : sessionExpiry;
        protocolVersion = protocolVersion == null ? ProtocolVersion.MQTT_5 : protocolVersion;
        reconnect = reconnect == null ? ReconnectPolicy.DEFAULT : reconnect;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        sharePrefix = sharePrefix == null ? "$share" : sharePrefix;
        if (keepAlive.isNegative() || keepAlive.toSeconds() > 65535) {
            throw new IllegalArgumentException("session '" + name + "': keepAlive must be 0..65535 seconds, got " + keepAlive);
        }
        if (sessionExpiry.isNegative() || sessionExpiry.toSeconds() > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("session '" + name + "': sessionExpiry must be 0..4294967295 seconds, got " + sessionExpiry);
        }
        if (receiveMaximum < 1 || receiveMaximum > 65535) {
            throw new IllegalArgumentException("session '" + name + "': receiveMaximum must be 1..65535, got " + receiveMaximum);
        }
        if (maxInFlight < 1) throw new IllegalArgumentException("session '" + name + "': maxInFlight must be at least 1, got " + maxInFlight);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("session '" + name + "': connectTimeout must be positive, got " + connectTimeout);
        }
        if (!cleanStart && (clientId == null || clientId.isBlank())) {
            throw new IllegalArgumentException("session '" + name + "': a persistent session (cleanStart false) needs a fixed clientId,"
                    + " or the broker cannot find the session again; set clientId(...)");
        }
        if (sharePrefix.isEmpty() || sharePrefix.contains("/") || sharePrefix.contains("+") || sharePrefix.contains("#")) {
            throw new IllegalArgumentException("session '" + name + "': sharePrefix '" + sharePrefix + "' must be one topic level, such as $share");
        }
        if (password != null && username == null && protocolVersion == ProtocolVersion.MQTT_3_1_1) {
            throw new IllegalArgumentException("session '" + name + "': MQTT 3.1.1 does not allow a password without a user name");
        }
    }

    /** A builder for a session with this name and broker URL. */
    public static Builder builder(String name, String url) {
        return new Builder(name, url);
    }

    /** A builder for the default session ({@code "default"}). */
    public static Builder builder(String url) {
        return new Builder(io.routemq.core.Message.DEFAULT_SESSION, url);
    }

    /** The broker host. */
    public String host() {
        return parse(name, url).getHost();
    }

    /** The broker port, the scheme's default when the URL has none. */
    public int port() {
        URI u = parse(name, url);
        if (u.getPort() > 0) return u.getPort();
        return switch (scheme()) {
            case "mqtts" -> 8883;
            case "ws" -> 80;
            case "wss" -> 443;
            default -> 1883;
        };
    }

    /** Whether the URL asks for TLS ({@code mqtts} or {@code wss}). */
    public boolean tlsEnabled() {
        String s = scheme();
        return s.equals("mqtts") || s.equals("wss");
    }

    /** Whether the URL asks for a web socket ({@code ws} or {@code wss}). */
    public boolean webSocket() {
        String s = scheme();
        return s.equals("ws") || s.equals("wss");
    }

    /** The web socket path: the URL's path, or {@code mqtt} when it has none (without the leading slash). */
    public String webSocketPath() {
        String p = parse(name, url).getRawPath();
        if (p == null || p.isEmpty() || p.equals("/")) return "mqtt";
        return p.startsWith("/") ? p.substring(1) : p;
    }

    /** The TLS options in effect (the defaults when none were given). */
    public TlsConfig effectiveTls() {
        return tls != null ? tls : TlsConfig.DEFAULT;
    }

    private String scheme() {
        return parse(name, url).getScheme().toLowerCase(Locale.ROOT);
    }

    private static URI parse(String name, String url) {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("session '" + name + "': url '" + url + "' is not a valid URL: " + e.getMessage()
                    + "; use mqtt://host:1883, mqtts://host:8883, ws://host/mqtt or wss://host/mqtt", e);
        }
        String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(s.equals("mqtt") || s.equals("mqtts") || s.equals("ws") || s.equals("wss") || s.equals("tcp") || s.equals("ssl"))) {
            throw new IllegalArgumentException("session '" + name + "': url '" + url + "' has scheme '" + u.getScheme()
                    + "'; use mqtt://, mqtts://, ws:// or wss://");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("session '" + name + "': url '" + url + "' has no host; write it like mqtt://127.0.0.1:1883");
        }
        if (s.equals("tcp") || s.equals("ssl")) {
            try {
                return new URI(s.equals("tcp") ? "mqtt" : "mqtts", u.getUserInfo(), u.getHost(), u.getPort(), u.getPath(), null, null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("session '" + name + "': url '" + url + "': " + e.getMessage(), e);
            }
        }
        return u;
    }

    @Override
    public String toString() {
        return "SessionConfig[" + name + " " + url + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", " + protocolVersion + ", cleanStart=" + cleanStart
                + ", sessionExpiry=" + sessionExpiry + ", keepAlive=" + keepAlive + ", receiveMaximum=" + receiveMaximum
                + ", maxInFlight=" + maxInFlight + "]";
    }

    /** Builds a {@link SessionConfig}; every option has a default. */
    public static final class Builder {
        private final String name;
        private final String url;
        private String clientId;
        private String username;
        private String password;
        private Duration keepAlive = Duration.ofSeconds(60);
        private boolean cleanStart = true;
        private Duration sessionExpiry = Duration.ZERO;
        private ProtocolVersion protocolVersion = ProtocolVersion.MQTT_5;
        private int receiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
        private int maxInFlight = 256;
        private TlsConfig tls;
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private String sharePrefix = "$share";

        private Builder(String name, String url) {
            this.name = name;
            this.url = url;
        }

        /** The client identifier. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** User name and password (the password is never logged). */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** The keep-alive interval (default 60s). */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /** A fresh session at every connect (the default). */
        public Builder cleanStart() {
            this.cleanStart = true;
            this.sessionExpiry = Duration.ZERO;
            return this;
        }

        /**
         * A persistent session the broker keeps for {@code expiry} after a disconnect, with its subscriptions and the
         * QoS 1/2 messages that arrive meanwhile. Needs a fixed {@link #clientId(String)}.
         */
        public Builder persistentSession(Duration expiry) {
            this.cleanStart = false;
            this.sessionExpiry = Objects.requireNonNull(expiry, "expiry");
            return this;
        }

        /** The protocol version (default MQTT 5). */
        public Builder protocolVersion(ProtocolVersion version) {
            this.protocolVersion = version;
            return this;
        }

        /** The receive maximum sent in CONNECT (default {@link #DEFAULT_RECEIVE_MAXIMUM}, 65535). */
        public Builder receiveMaximum(int max) {
            this.receiveMaximum = max;
            return this;
        }

        /** The most unacknowledged messages handed on per connection (default 256). */
        public Builder maxInFlight(int max) {
            this.maxInFlight = max;
            return this;
        }

        /** TLS options (used with {@code mqtts://} and {@code wss://}). */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /** The reconnect policy. */
        public Builder reconnect(ReconnectPolicy policy) {
            this.reconnect = policy;
            return this;
        }

        /** The connect timeout (default 10s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** The shared-subscription prefix (default {@code $share}). */
        public Builder sharePrefix(String prefix) {
            this.sharePrefix = prefix;
            return this;
        }

        /**
         * Builds the config.
         *
         * @throws IllegalArgumentException naming the session and the option when one is invalid
         */
        public SessionConfig build() {
            return new SessionConfig(name, url, clientId, username, password, keepAlive, cleanStart, sessionExpiry, protocolVersion,
                    receiveMaximum, maxInFlight, tls, reconnect, connectTimeout, sharePrefix);
        }
    }
}
