package io.routemq.broker;

/**
 * One listener of a started broker, with the actual port (also when port 0 was asked for).
 *
 * @param kind    {@link Kind#TCP}, {@link Kind#WEBSOCKET} or {@link Kind#TLS}
 * @param host    bind address
 * @param port    actual port
 * @param path    WebSocket path, empty for the others
 */
public record ListenerAddress(Kind kind, String host, int port, String path) {

    /** Listener kinds. */
    public enum Kind {
        /** MQTT over TCP ({@code mqtt://}). */
        TCP("mqtt"),
        /** MQTT over WebSocket ({@code ws://}). */
        WEBSOCKET("ws"),
        /** MQTT over TLS ({@code mqtts://}). */
        TLS("mqtts");

        private final String scheme;

        Kind(String scheme) {
            this.scheme = scheme;
        }

        /** @return the URI scheme */
        public String scheme() {
            return scheme;
        }
    }

    /** @return e.g. {@code mqtt://127.0.0.1:1883} or {@code ws://127.0.0.1:8000/mqtt} */
    public String uri() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return kind.scheme() + "://" + h + ":" + port + (path == null ? "" : path);
    }

    @Override
    public String toString() {
        return uri();
    }
}
