package io.routemq.sink.http;

import io.routemq.sink.http.internal.Template;
import io.routemq.sink.http.internal.Urls;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Configuration of one {@link HttpSink}; the gateway maps YAML {@code sinks.<name>.http:} onto it (see
 * {@code docs/http-sink.md} for every key and its default). Build it with {@link #builder(String)}; the canonical
 * constructor validates everything and throws {@link IllegalArgumentException} naming the key and the fix.
 * {@link #toString()} never shows secrets (auth, header values, URL user info and query values).
 *
 * @param name          the sink name (config key {@code sinks.<name>})
 * @param urls          one or more http/https URLs; user info ({@code https://user:pass@host/}) becomes basic auth
 * @param mode          how several URLs are used
 * @param method        the HTTP method (default {@code POST})
 * @param headers       extra request headers, sent as given
 * @param auth          bearer or basic authentication, or {@link HttpAuth.None}
 * @param tls           a custom CA or the insecure flag
 * @param body          the body format
 * @param template      the template text when {@code body} is {@link BodyFormat#TEMPLATE}, else null
 * @param timeout       connect and request timeouts
 * @param maxInFlight   the most concurrent requests per URL
 * @param circuitBreaker the per-URL circuit breaker
 * @param batch         batching (size 1 = one request per message)
 * @param statusRules   overrides of the status classification
 * @param version       HTTP/1.1 or HTTP/2 (HTTP/2 uses ALPN on https and falls back to HTTP/1.1)
 */
public record HttpSinkConfig(String name, List<URI> urls, UrlMode mode, String method, Map<String, String> headers,
                             HttpAuth auth, TlsSettings tls, BodyFormat body, String template, Timeouts timeout, int maxInFlight,
                             CircuitBreakerSettings circuitBreaker, Batch batch, StatusRules statusRules,
                             HttpClient.Version version) {

    /** The most requests in flight per URL that {@code maxInFlight} may set. */
    public static final int MAX_IN_FLIGHT = 10_000;

    /** The most messages per request that {@code batch.size} may set. */
    public static final int MAX_BATCH = 10_000;

    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** Validates and copies; see the class comment. */
    public HttpSinkConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("sink name is empty");
        String at = "sinks." + name + ".http.";
        if (urls == null || urls.isEmpty()) throw new IllegalArgumentException(at + "urls: give at least one http:// or https:// URL");
        for (int i = 0; i < urls.size(); i++) {
            URI u = Objects.requireNonNull(urls.get(i), at + "urls[" + i + "]");
            Urls.check(at + "urls[" + i + "]", u);
        }
        urls = List.copyOf(urls);
        mode = mode == null ? UrlMode.FAILOVER : mode;
        method = method == null ? "POST" : method.strip().toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) throw new IllegalArgumentException(at + "method: '" + method + "' is not an HTTP method; use POST, PUT or PATCH");
        auth = auth == null ? HttpAuth.NONE : auth;
        LinkedHashMap<String, String> h = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                String k = e.getKey() == null ? "" : e.getKey().strip();
                String lower = k.toLowerCase(Locale.ROOT);
                if (!k.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) throw new IllegalArgumentException(at + "headers: '" + k + "' is not a valid header name");
                if (RESTRICTED_HEADERS.contains(lower)) {
                    throw new IllegalArgumentException(at + "headers." + k + ": the HTTP client sets this header itself; remove it");
                }
                String v = Objects.requireNonNull(e.getValue(), at + "headers." + k);
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) throw new IllegalArgumentException(at + "headers." + k + ": the value contains a line break");
                if (lower.equals("authorization") && !(auth instanceof HttpAuth.None)) {
                    throw new IllegalArgumentException(at + "headers.Authorization and auth are both set; keep one");
                }
                h.put(k, v);
            }
        }
        headers = Collections.unmodifiableMap(h);
        for (int i = 0; i < urls.size(); i++) {
            if (urls.get(i).getRawUserInfo() != null && !(auth instanceof HttpAuth.None)) {
                throw new IllegalArgumentException(at + "urls[" + i + "] carries user:password and auth is set too; keep one");
            }
        }
        tls = tls == null ? TlsSettings.DEFAULT : tls;
        body = body == null ? BodyFormat.ENVELOPE : body;
        if (body == BodyFormat.TEMPLATE) {
            if (template == null || template.isEmpty()) throw new IllegalArgumentException(at + "template: body is template but no template is given");
            Template.compile(template, at + "template"); // validates placeholders
        } else if (template != null) {
            throw new IllegalArgumentException(at + "template is set but body is " + body.name().toLowerCase(Locale.ROOT) + "; set body: template or remove it");
        }
        timeout = timeout == null ? Timeouts.DEFAULT : timeout;
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) throw new IllegalArgumentException(at + "maxInFlight: " + maxInFlight + " is out of range 1.." + MAX_IN_FLIGHT);
        circuitBreaker = circuitBreaker == null ? CircuitBreakerSettings.DEFAULT : circuitBreaker;
        batch = batch == null ? Batch.OFF : batch;
        if (batch.enabled() && body != BodyFormat.ENVELOPE) {
            throw new IllegalArgumentException(at + "batch.size: " + batch.size() + " needs body: envelope (a batch is a JSON array of envelopes), but body is "
                    + body.name().toLowerCase(Locale.ROOT) + "; use batch.size 1 or body: envelope");
        }
        statusRules = statusRules == null ? StatusRules.DEFAULT : statusRules;
        version = version == null ? HttpClient.Version.HTTP_1_1 : version;
    }

    /** A builder with every default; {@code name} is the sink name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.urls.addAll(urls);
        b.mode = mode;
        b.method = method;
        b.headers.putAll(headers);
        b.auth = auth;
        b.tls = tls;
        b.body = body;
        b.template = template;
        b.timeout = timeout;
        b.maxInFlight = maxInFlight;
        b.circuitBreaker = circuitBreaker;
        b.batch = batch;
        b.statusRules = statusRules;
        b.version = version;
        return b;
    }

    /**
     * One single-URL configuration per URL, for {@link UrlMode#FANOUT}: the gateway gives each its own durable queue and
     * {@link HttpSink}, so each URL is retried and dead-lettered separately. Each is named
     * {@code <name>#<8 hex digits>}, a hash of its URL without credentials, so a queue keeps following its URL when
     * the list is reordered. With a single URL this returns {@code List.of(this)}.
     */
    public List<HttpSinkConfig> perUrl() {
        if (urls.size() == 1) return List.of(this);
        List<HttpSinkConfig> out = new ArrayList<>(urls.size());
        for (URI u : urls) {
            out.add(toBuilder().name(name + "#" + Urls.shortId(u)).urls(List.of(u)).mode(UrlMode.FAILOVER).build());
        }
        return List.copyOf(out);
    }

    /** The URLs in the form used in logs and errors (no credentials, no query). */
    public List<String> displayUrls() {
        return urls.stream().map(Urls::display).toList();
    }

    @Override
    public String toString() {
        return "HttpSinkConfig[name=" + name + ", urls=" + displayUrls() + ", mode=" + mode + ", method=" + method
                + ", headers=" + headers.keySet() + ", auth=" + auth + ", tls=" + tls + ", body=" + body
                + (template != null ? ", template=(" + template.length() + " chars)" : "") + ", timeout=" + timeout
                + ", maxInFlight=" + maxInFlight + ", circuitBreaker=" + circuitBreaker + ", batch=" + batch
                + ", statusRules=" + statusRules + ", version=" + version + "]";
    }

    static void positive(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(key + ": " + d + " must be positive");
    }

    /** Builds an {@link HttpSinkConfig}; every setter is optional except at least one URL. */
    public static final class Builder {
        private String name;
        private final List<URI> urls = new ArrayList<>();
        private UrlMode mode;
        private String method;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private HttpAuth auth;
        private TlsSettings tls;
        private BodyFormat body;
        private String template;
        private Timeouts timeout = Timeouts.DEFAULT;
        private int maxInFlight = 64;
        private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.DEFAULT;
        private Batch batch = Batch.OFF;
        private StatusRules statusRules = StatusRules.DEFAULT;
        private HttpClient.Version version;

        private Builder(String name) {
            this.name = name;
        }

        /** The sink name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds one URL. */
        public Builder url(String url) {
            urls.add(Urls.parse("urls[" + urls.size() + "]", url));
            return this;
        }

        /** Adds one URL. */
        public Builder url(URI url) {
            urls.add(url);
            return this;
        }

        /** Replaces the URLs. */
        public Builder urls(List<URI> urls) {
            this.urls.clear();
            this.urls.addAll(urls);
            return this;
        }

        /** Replaces the URLs, parsing each. */
        public Builder urlStrings(List<String> urls) {
            this.urls.clear();
            urls.forEach(this::url);
            return this;
        }

        /** The mode (default failover). */
        public Builder mode(UrlMode mode) {
            this.mode = mode;
            return this;
        }

        /** The HTTP method (default POST). */
        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /** Adds a request header. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Adds request headers. */
        public Builder headers(Map<String, String> headers) {
            this.headers.putAll(headers);
            return this;
        }

        /** The authentication. */
        public Builder auth(HttpAuth auth) {
            this.auth = auth;
            return this;
        }

        /** Bearer token authentication. */
        public Builder bearer(String token) {
            return auth(new HttpAuth.Bearer(token));
        }

        /** Basic authentication. */
        public Builder basic(String username, String password) {
            return auth(new HttpAuth.Basic(username, password));
        }

        /** TLS settings. */
        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        /** Trust only the CA certificate(s) in this PEM file. */
        public Builder ca(Path pemFile) {
            return tls(new TlsSettings(pemFile, false));
        }

        /** Trust any certificate and host name (logs a warning). */
        public Builder insecure(boolean insecure) {
            return tls(new TlsSettings(null, insecure));
        }

        /** The body format (default envelope). */
        public Builder body(BodyFormat body) {
            this.body = body;
            return this;
        }

        /** The template; also sets the body format to template. */
        public Builder template(String template) {
            this.template = template;
            this.body = BodyFormat.TEMPLATE;
            return this;
        }

        /** Both timeouts. */
        public Builder timeout(Timeouts timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The connect timeout (default 5s). */
        public Builder connectTimeout(Duration connect) {
            this.timeout = new Timeouts(connect, timeout.request());
            return this;
        }

        /** The request timeout (default 30s). */
        public Builder requestTimeout(Duration request) {
            this.timeout = new Timeouts(timeout.connect(), request);
            return this;
        }

        /** The most concurrent requests per URL (default 64). */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** The circuit breaker (default 5 failures, open for 30s; 0 failures turns it off). */
        public Builder circuitBreaker(int failures, Duration openFor) {
            this.circuitBreaker = new CircuitBreakerSettings(failures, openFor);
            return this;
        }

        /** The circuit breaker settings. */
        public Builder circuitBreaker(CircuitBreakerSettings settings) {
            this.circuitBreaker = settings;
            return this;
        }

        /** Batching: up to {@code size} envelopes per request, waiting at most {@code linger}. */
        public Builder batch(int size, Duration linger) {
            this.batch = new Batch(size, linger == null ? Batch.DEFAULT_LINGER : linger);
            return this;
        }

        /** Batching settings. */
        public Builder batch(Batch batch) {
            this.batch = batch;
            return this;
        }

        /** Extra retryable status codes. */
        public Builder retryOn(Integer... codes) {
            this.statusRules = new StatusRules(Set.of(codes), statusRules.rejectOn());
            return this;
        }

        /** Status codes to reject even if they would be retried. */
        public Builder rejectOn(Integer... codes) {
            this.statusRules = new StatusRules(statusRules.retryOn(), Set.of(codes));
            return this;
        }

        /** The status rules. */
        public Builder statusRules(StatusRules rules) {
            this.statusRules = rules;
            return this;
        }

        /** HTTP/1.1 (default) or HTTP/2. */
        public Builder version(HttpClient.Version version) {
            this.version = version;
            return this;
        }

        /** Validates and builds. */
        public HttpSinkConfig build() {
            return new HttpSinkConfig(name, urls, mode, method, headers, auth, tls, body, template, timeout, maxInFlight,
                    circuitBreaker, batch, statusRules, version);
        }
    }
}
