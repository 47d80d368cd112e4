package io.routemq.server.config.internal;

import io.routemq.config.Node;
import io.routemq.config.Obj;
import io.routemq.config.Problems;
import io.routemq.core.config.Suggest;
import io.routemq.core.sink.Redaction;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import static java.util.Map.entry;

/**
 * The parts of an MQTT url ({@code brokers.<name>.url}, {@code MQTT_BROKER}), checked as the gateway documents it.
 *
 * @param transport mqtt, mqtts, ws or wss
 * @param host      the host, without brackets
 * @param port      the port (default by transport)
 * @param path      the WebSocket path (default {@code /mqtt}), empty for TCP
 */
record MqttUrl(Transport transport, String host, int port, String path) {

    /** The transport, from the url's scheme. */
    enum Transport {
        MQTT(1883), MQTTS(8883), WS(80), WSS(443);

        private final int defaultPort;

        Transport(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        int defaultPort() {
            return defaultPort;
        }

        boolean tls() {
            return this == MQTTS || this == WSS;
        }

        boolean webSocket() {
            return this == WS || this == WSS;
        }

        String scheme() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final Map<String, Transport> SCHEMES = Obj.choices(entry("mqtt", Transport.MQTT),
            entry("mqtts", Transport.MQTTS), entry("ws", Transport.WS), entry("wss", Transport.WSS));

    /** The url, normalized: {@code scheme://host:port[path]}. */
    String url() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return transport.scheme() + "://" + h + ":" + port + (transport.webSocket() ? path : "");
    }

    /** The url of a session: its transport, host, port and path. */
    static MqttUrl of(io.routemq.mqtt.SessionConfig s) {
        URI u = URI.create(s.url());
        Transport t = SCHEMES.get(u.getScheme().toLowerCase(Locale.ROOT));
        String host = s.host();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        String path = t.webSocket() ? (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/mqtt" : u.getRawPath()) : "";
        return new MqttUrl(t, host, s.port(), path);
    }

    /** Parses an MQTT url; reports problems to the collector (at {@code at}/{@code path}) and returns null on error. */
    static MqttUrl parse(Problems p, Node.Location at, String path, String text) {
        String t = text.strip();
        String shown = Redaction.url(text); // the url as errors show it: without user info and query values
        if (!t.contains("://")) {
            p.error(at, path, shown, "the url has no scheme", "write mqtt://" + Redaction.url(t) + (t.contains(":") ? "" : ":1883")
                    + " (or mqtts://, ws://, wss://)");
            return null;
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            p.error(at, path, shown, "not a valid url: " + e.getReason(), "write mqtt://host:1883");
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Transport transport = SCHEMES.get(scheme);
        if (transport == null) {
            String hint = switch (scheme) {
                case "tcp" -> "tcp:// is written mqtt:// here";
                case "ssl", "tls", "mqtt+ssl" -> scheme + ":// is written mqtts:// here";
                default -> Suggest.hint(scheme, SCHEMES.keySet(), "use one of");
            };
            p.error(at, path, shown, "unsupported scheme '" + scheme + "'", hint);
            return null;
        }
        if (uri.getRawUserInfo() != null) {
            p.error(at, path, "credentials do not belong in the url", "remove 'user:password@' and set username and password");
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            p.error(at, path, shown, "the url has no host", "write " + scheme + "://host:port");
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            p.error(at, path, shown, "an MQTT url has no query or fragment", "remove what follows '?' or '#'");
            return null;
        }
        String urlPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!transport.webSocket() && !urlPath.isEmpty() && !urlPath.equals("/")) {
            p.error(at, path, shown, "a path is only meaningful for ws:// and wss://", "remove '" + urlPath + "'");
            return null;
        }
        if (transport.webSocket() && (urlPath.isEmpty() || urlPath.equals("/"))) urlPath = "/mqtt";
        if (!transport.webSocket()) urlPath = "";
        int port = uri.getPort() < 0 ? transport.defaultPort() : uri.getPort();
        if (port < 1 || port > 65535) {
            p.error(at, path, shown, "port must be between 1 and 65535, got " + port, null);
            return null;
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new MqttUrl(transport, host, port, urlPath);
    }
}
