package io.routemq.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP sink ({@code sinks.<name>.http}).
 *
 * @param urls           the endpoints, http or https, at least one
 * @param mode           how the urls share the messages (default fanout)
 * @param method         POST, PUT or PATCH (default POST)
 * @param headers        extra request headers
 * @param auth           credentials, or {@link Auth#NONE}
 * @param tls            TLS options for https
 * @param body           the body format (default raw)
 * @param template       the body template when {@code body} is template, else null
 * @param timeout        connect and request timeouts
 * @param maxInFlight    concurrent requests per url (default 64)
 * @param circuitBreaker when to stop calling a failing url for a while
 * @param batch          batching (size 1 = none, the default)
 * @param retryOn        status codes to retry besides 408, 429 and 5xx (default none)
 */
public record HttpSinkConfig(List<URI> urls, Mode mode, String method, Map<String, String> headers, Auth auth,
                             Tls tls, Body body, String template, Timeout timeout, int maxInFlight,
                             CircuitBreaker circuitBreaker, Batch batch, List<Integer> retryOn) {

    /** Copies the collections (keeping the header order). */
    public HttpSinkConfig {
        urls = List.copyOf(urls);
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        retryOn = List.copyOf(retryOn);
    }

    /** How several urls share the messages. */
    public enum Mode {
        /** Every url gets every message, each with its own retry (the Go middleware's behaviour). */
        FANOUT,
        /** Each message goes to one url, taking turns. */
        ROUND_ROBIN,
        /** Each message goes to the first healthy url. */
        FAILOVER
    }

    /** The body format; the HTTP sink documents each. */
    public enum Body {
        /** The payload as it came. */
        RAW,
        /** A JSON envelope with topic, params, properties and payload. */
        ENVELOPE,
        /** The Go middleware's JSON body. */
        GO,
        /** The {@code template}, rendered. */
        TEMPLATE
    }

    /** The kind of credentials. */
    public enum AuthKind {
        /** None. */
        NONE,
        /** {@code Authorization: Bearer <token>}. */
        BEARER,
        /** HTTP basic. */
        BASIC
    }

    /**
     * Credentials.
     *
     * @param kind     none, bearer or basic
     * @param bearer   the token for bearer
     * @param username the user for basic
     * @param password the password for basic
     */
    public record Auth(AuthKind kind, Secret bearer, String username, Secret password) {
        /** No credentials. */
        public static final Auth NONE = new Auth(AuthKind.NONE, null, null, null);
    }

    /**
     * TLS options for https urls.
     *
     * @param ca       a PEM file of CA certificates to trust, or null for the JDK's
     * @param insecure skip certificate and host name checks (tests only)
     */
    public record Tls(Path ca, boolean insecure) {
        /** The JDK trust store, full verification. */
        public static final Tls DEFAULT = new Tls(null, false);
    }

    /**
     * Timeouts.
     *
     * @param connect to connect (default 5s)
     * @param request for the whole request (default 30s)
     */
    public record Timeout(Duration connect, Duration request) {
        /** The defaults. */
        public static final Timeout DEFAULT = new Timeout(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /**
     * Circuit breaker per url: after {@code failures} failures in a row, stop calling for {@code openFor}.
     *
     * @param failures failures in a row that open it, 0 for no breaker (default 5)
     * @param openFor  how long it stays open (default 30s)
     */
    public record CircuitBreaker(int failures, Duration openFor) {
        /** The defaults. */
        public static final CircuitBreaker DEFAULT = new CircuitBreaker(5, Duration.ofSeconds(30));
    }

    /**
     * Batching: up to {@code size} messages in one request, waiting at most {@code linger} for a batch to fill.
     *
     * @param size   messages per request, 1 for no batching (default 1)
     * @param linger how long to wait for more (default 0ms)
     */
    public record Batch(int size, Duration linger) {
        /** No batching. */
        public static final Batch NONE = new Batch(1, Duration.ZERO);
    }

    /** Shows header names only: header values often hold credentials. */
    @Override
    public String toString() {
        return "HttpSinkConfig[urls=" + urls + ", mode=" + mode + ", method=" + method + ", headers=" + headers.keySet()
                + ", auth=" + auth.kind() + ", tls=" + tls + ", body=" + body + ", template=" + (template == null ? null : "...")
                + ", timeout=" + timeout + ", maxInFlight=" + maxInFlight + ", circuitBreaker=" + circuitBreaker
                + ", batch=" + batch + ", retryOn=" + retryOn + "]";
    }
}
