package io.routemq.server.config.internal;

import io.routemq.config.Node;
import io.routemq.config.Obj;
import io.routemq.config.Problems;
import io.routemq.config.Messages;
import io.routemq.config.Checks;
import io.routemq.core.config.Values;
import io.routemq.core.config.Suggest;
import io.routemq.core.TopicPattern;
import io.routemq.core.sink.Redaction;
import io.routemq.broker.BrokerConfigLoader;
import io.routemq.server.config.AdminConfig;
import io.routemq.server.config.ModuleConfigs;
import io.routemq.server.config.BrokerConfig;
import io.routemq.server.config.EmbeddedBrokerConfig;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.HttpSinkConfig;
import io.routemq.server.config.LoggingConfig;
import io.routemq.server.config.MiddlewareConfig;
import io.routemq.server.config.QueueConfig;
import io.routemq.server.config.RouteConfig;
import io.routemq.server.config.Secret;
import io.routemq.server.config.ShutdownConfig;
import io.routemq.server.config.SinkConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import static java.util.Map.entry;

/** Reads one {@code sinks.<name>} entry: the HTTP sink, its retry and its queue limits. */
final class SinkReader {
    static final String[] HTTP = RouteMqReader.HTTP;

    private final Problems p;

    SinkReader(Problems p) {
        this.p = p;
    }

    private static final Map<String, HttpSinkConfig.Mode> MODES = Obj.choices(entry("fanout", HttpSinkConfig.Mode.FANOUT),
            entry("round-robin", HttpSinkConfig.Mode.ROUND_ROBIN), entry("failover", HttpSinkConfig.Mode.FAILOVER));
    private static final Map<String, HttpSinkConfig.Body> BODIES = Obj.choices(entry("raw", HttpSinkConfig.Body.RAW),
            entry("envelope", HttpSinkConfig.Body.ENVELOPE), entry("go", HttpSinkConfig.Body.GO),
            entry("template", HttpSinkConfig.Body.TEMPLATE));
    private static final Map<String, String> METHODS = Obj.choices(entry("POST", "POST"), entry("PUT", "PUT"), entry("PATCH", "PATCH"));

    SinkConfig sink(String name, Obj s) {
        if (!s.has("http")) {
            s.missing("http", "the sink type; http is the only one so far: http: { urls: [http://host/path] }");
            return null;
        }
        Obj h = s.obj("http", HTTP);
        List<URI> urls = new ArrayList<>();
        List<Node> urlNodes = h.list("urls");
        if (urlNodes.isEmpty()) h.missing("urls", "e.g. urls: [http://127.0.0.1:8088/ingest]");
        for (int i = 0; i < urlNodes.size(); i++) {
            String path = Messages.index(h.path("urls"), i);
            String text = h.stringOf(urlNodes.get(i), path, null);
            if (text == null) {
                p.error(urlNodes.get(i).location(), path, "empty url", "remove it or write http://host/path");
                continue;
            }
            URI u = Checks.httpUrl(p, urlNodes.get(i).location(), path, text);
            if (u != null) urls.add(u);
        }
        HttpSinkConfig.Mode mode = h.choice("mode", HttpSinkConfig.Mode.FAILOVER, MODES);
        String method = h.choice("method", "POST", METHODS);
        LinkedHashMap<String, String> headers = new LinkedHashMap<>();
        Obj hd = h.anyKeys("headers");
        for (String k : hd.keys()) {
            if (!k.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                p.error(hd.keyAt(k), hd.path(k), "invalid header name '" + Messages.shorten(k) + "'", "use letters, digits and '-'");
                continue;
            }
            String v = hd.string(k, "");
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                p.error(hd.at(k), hd.path(k), "a header value must be one line", null);
                continue;
            }
            headers.put(k, v);
        }
        HttpSinkConfig.Auth auth = auth(h);
        HttpSinkConfig.Tls tls = HttpSinkConfig.Tls.DEFAULT;
        if (h.has("tls")) {
            Obj t = h.obj("tls", "ca", "insecure");
            tls = new HttpSinkConfig.Tls(RouteMqReader.optionalFile(t, "ca"), t.bool("insecure", false));
            if (!urls.isEmpty() && urls.stream().noneMatch(u -> "https".equalsIgnoreCase(u.getScheme()))) {
                p.warn(h.keyAt("tls"), h.path("tls"), "tls is set but no url is https://");
            }
        }
        HttpSinkConfig.Body body = h.choice("body", HttpSinkConfig.Body.ENVELOPE, BODIES);
        String template = h.string("template", null);
        if (body == HttpSinkConfig.Body.TEMPLATE && (template == null || template.isEmpty())) {
            p.error(h.at("body"), h.path("body"), "body: template needs a template",
                    "add template: '{\"topic\": \"${topic}\", \"data\": ${payload}}'");
        } else if (body != HttpSinkConfig.Body.TEMPLATE && template != null) {
            p.error(h.keyAt("template"), h.path("template"), "template is set but body is " + body.name().toLowerCase(Locale.ROOT),
                    "add body: template, or remove template");
            template = null;
        }
        Obj to = h.obj("timeout", "connect", "request");
        HttpSinkConfig.Timeout timeout = new HttpSinkConfig.Timeout(RouteMqReader.positive(to, "connect", HttpSinkConfig.Timeout.DEFAULT.connect()),
                RouteMqReader.positive(to, "request", HttpSinkConfig.Timeout.DEFAULT.request()));
        int maxInFlight = h.integer("maxInFlight", 64, 1, io.routemq.sink.http.HttpSinkConfig.MAX_IN_FLIGHT);
        Obj cb = h.obj("circuitBreaker", "failures", "openFor");
        HttpSinkConfig.CircuitBreaker breaker = new HttpSinkConfig.CircuitBreaker(
                cb.integer("failures", HttpSinkConfig.CircuitBreaker.DEFAULT.failures(), 0, 1_000_000),
                RouteMqReader.positive(cb, "openFor", HttpSinkConfig.CircuitBreaker.DEFAULT.openFor()));
        Obj ba = h.obj("batch", "size", "linger");
        HttpSinkConfig.Batch batch = new HttpSinkConfig.Batch(ba.integer("size", 1, 1, io.routemq.sink.http.HttpSinkConfig.MAX_BATCH), ba.duration("linger", Duration.ZERO));
        if (batch.size() > 1 && body != HttpSinkConfig.Body.ENVELOPE) {
            p.error(ba.at("size"), ba.path("size"), "a batch is a JSON array of envelopes, so it needs body: envelope, but body is "
                    + body.name().toLowerCase(Locale.ROOT), "use body: envelope, or remove batch");
        }
        List<Integer> retryOn = new ArrayList<>();
        List<Node> ro = h.list("retryOn");
        for (int i = 0; i < ro.size(); i++) {
            retryOn.add((int) h.longOf(ro.get(i), Messages.index(h.path("retryOn"), i), 0, 300, 599,
                    "an HTTP status code from 300 to 599 (2xx is always success)"));
        }
        SinkConfig.Retry retry;
        if (s.has("retry") && h.has("retry")) {
            p.error(h.keyAt("retry"), h.path("retry"), "retry is set twice, here and at " + s.path("retry"), "keep one of them");
            retry = retry(s.obj("retry", "attempts", "backoff", "maxAge"));
        } else if (h.has("retry")) {
            retry = retry(h.obj("retry", "attempts", "backoff", "maxAge"));
        } else {
            retry = retry(s.obj("retry", "attempts", "backoff", "maxAge"));
        }
        Obj q = s.obj("queue", "maxBytes", "overflow");
        SinkConfig.Queue queue = new SinkConfig.Queue(q.size("maxBytes", SinkConfig.Queue.DEFAULT.maxBytes(), 1 << 20, Long.MAX_VALUE),
                q.choice("overflow", SinkConfig.Overflow.BLOCK, Obj.choices(entry("block", SinkConfig.Overflow.BLOCK),
                        entry("dead-letter", SinkConfig.Overflow.DEAD_LETTER))));
        HttpSinkConfig http = new HttpSinkConfig(urls, mode, method, headers, auth, tls, body, template, timeout, maxInFlight,
                breaker, batch, retryOn);
        return new SinkConfig(name, http, retry, queue);
    }

    private HttpSinkConfig.Auth auth(Obj h) {
        if (!h.has("auth")) return HttpSinkConfig.Auth.NONE;
        Obj a = h.obj("auth", "bearer", "basic");
        if (a.has("bearer") == a.has("basic")) {
            p.error(a.location(), a.path(), a.has("bearer") ? "set bearer or basic, not both" : "auth needs bearer or basic",
                    "auth: {bearer: ${TOKEN}} or auth: {basic: {username: u, password: ${PASSWORD}}}");
            return HttpSinkConfig.Auth.NONE;
        }
        if (a.has("bearer")) return new HttpSinkConfig.Auth(HttpSinkConfig.AuthKind.BEARER, new Secret(a.string("bearer", "")), null, null);
        Obj b = a.obj("basic", "username", "password");
        String user = b.requiredString("username", "basic: {username: u, password: p}");
        String pw = b.string("password", "");
        return new HttpSinkConfig.Auth(HttpSinkConfig.AuthKind.BASIC, null, user, new Secret(pw));
    }

    /** Reads {@code attempts}, {@code backoff} ({@code 500ms..1m} or one duration) and {@code maxAge}. */
    SinkConfig.Retry retry(Obj r) {
        SinkConfig.Retry d = SinkConfig.Retry.DEFAULT;
        int attempts = r.integer("attempts", d.attempts(), 0, 1_000_000_000);
        Duration min = d.backoffMin();
        Duration max = d.backoffMax();
        Node b = r.node("backoff");
        if (b != null && !Obj.isNull(b)) {
            String text = r.string("backoff", null);
            if (!(b instanceof Node.Scalar s && s.value() instanceof String)) {
                p.error(b.location(), r.path("backoff"), "expected a duration or a range, got " + b.describe(), "write 500ms..1m, or 1s for a fixed delay");
            } else {
                int dots = text.indexOf("..");
                Duration lo = Values.parseDuration(dots < 0 ? text : text.substring(0, dots));
                Duration hi = dots < 0 ? lo : Values.parseDuration(text.substring(dots + 2));
                if (lo == null || hi == null) {
                    p.error(b.location(), r.path("backoff"), "'" + Messages.shorten(text) + "' is not a duration or a range",
                            "write 500ms..1m, or 1s for a fixed delay");
                } else if (hi.compareTo(lo) < 0) {
                    p.error(b.location(), r.path("backoff"), "the range goes down: " + Values.formatDuration(lo) + " is longer than "
                            + Values.formatDuration(hi), "write the shorter delay first");
                } else {
                    min = lo;
                    max = hi;
                }
            }
        }
        return new SinkConfig.Retry(attempts, min, max, r.duration("maxAge", d.maxAge()));
    }

}
