package io.routemq.server.config.internal;

import io.routemq.config.Checks;
import io.routemq.config.Locator;
import io.routemq.config.Messages;
import io.routemq.config.Node;
import io.routemq.config.Obj;
import io.routemq.config.Problems;
import io.routemq.core.config.Values;
import io.routemq.server.config.SinkConfig;
import io.routemq.sink.http.HttpSinkConfig;
import io.routemq.sink.http.BodyFormat;
import io.routemq.sink.http.CircuitBreakerSettings;
import io.routemq.sink.http.Timeouts;
import io.routemq.sink.http.UrlMode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Map.entry;

/**
 * Reads one {@code sinks.<name>} entry: its type, either the HTTP sink bound straight into the HTTP sink module's
 * own {@link HttpSinkConfig} (its builder is the schema; what it refuses is reported at the key it names) or
 * {@code discard}, and the gateway's delivery retry and queue limits.
 */
final class SinkReader {
    static final String[] HTTP = {"urls", "mode", "method", "headers", "auth", "tls", "body", "template", "timeout",
            "maxInFlight", "circuitBreaker", "batch", "retryOn", "retry"};

    private final Problems p;

    SinkReader(Problems p) {
        this.p = p;
    }

    private static final Map<String, UrlMode> MODES = Obj.choices(entry("fanout", UrlMode.FANOUT),
            entry("round-robin", UrlMode.ROUND_ROBIN), entry("failover", UrlMode.FAILOVER));
    private static final Map<String, BodyFormat> BODIES = Obj.choices(entry("raw", BodyFormat.RAW),
            entry("envelope", BodyFormat.ENVELOPE), entry("go", BodyFormat.GO),
            entry("template", BodyFormat.TEMPLATE));
    private static final Map<String, String> METHODS = Obj.choices(entry("POST", "POST"), entry("PUT", "PUT"), entry("PATCH", "PATCH"));

    /** The keys of a sink entry: its type ({@code http} or {@code discard}) and the gateway's retry and queue. */
    static final String[] SINK = {"http", "discard", "retry", "queue"};

    /** The sink, or null when it has an error (reported). */
    SinkConfig sink(String name, Obj s) {
        boolean http = s.has("http");
        boolean discard = s.written("discard");
        if (!http && !discard) {
            s.missing("http", "the sink type: http: { urls: [http://host/path] }, or discard: {} to drop every message");
            return null;
        }
        if (http && discard) {
            p.error(s.keyAt("discard"), s.path("discard"), "a sink has one type, and both http and discard are set",
                    "keep http to deliver, or discard to drop");
            return null;
        }
        return http ? http(name, s) : discard(name, s);
    }

    private SinkConfig discard(String name, Obj s) {
        int before = p.errorCount();
        if (!Obj.isNull(s.node("discard"))) s.obj("discard"); // reports any key (it takes none) or a value that is not a map
        SinkConfig.Retry retry = retry(s.obj("retry", "attempts", "backoff", "maxAge"));
        SinkConfig.Queue queue = queue(s);
        return p.errorCount() > before ? null : new SinkConfig(name, new SinkConfig.Discard(), retry, queue);
    }

    private SinkConfig http(String name, Obj s) {
        int before = p.errorCount();
        Obj h = s.obj("http", HTTP);
        HttpSinkConfig.Builder b = HttpSinkConfig.builder(name);
        HttpSinkConfig d = null;
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
        b.urls(urls);
        b.mode(h.choice("mode", UrlMode.FAILOVER, MODES));
        b.method(h.choice("method", "POST", METHODS));
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
            b.header(k, v);
        }
        auth(h, b);
        if (h.has("tls")) {
            Obj t = h.obj("tls", "ca", "insecure");
            java.nio.file.Path ca = RouteMqReader.optionalFile(t, "ca");
            if (ca != null) b.ca(ca);
            if (t.bool("insecure", false)) b.insecure(true);
            if (!urls.isEmpty() && urls.stream().noneMatch(u -> "https".equalsIgnoreCase(u.getScheme()))) {
                p.warn(h.keyAt("tls"), h.path("tls"), "tls is set but no url is https://");
            }
        }
        BodyFormat body = h.choice("body", BodyFormat.ENVELOPE, BODIES);
        b.body(body);
        String template = h.string("template", null);
        if (body == BodyFormat.TEMPLATE && (template == null || template.isEmpty())) {
            p.error(h.at("body"), h.path("body"), "body: template needs a template",
                    "add template: '{\"topic\": \"${topic}\", \"data\": ${payload}}'");
        } else if (body != BodyFormat.TEMPLATE && template != null) {
            p.error(h.keyAt("template"), h.path("template"), "template is set but body is " + body.name().toLowerCase(Locale.ROOT),
                    "add body: template, or remove template");
        } else if (template != null) {
            b.template(template);
        }
        Obj to = h.obj("timeout", "connect", "request");
        b.connectTimeout(RouteMqReader.positive(to, "connect", Timeouts.DEFAULT.connect()));
        b.requestTimeout(RouteMqReader.positive(to, "request", Timeouts.DEFAULT.request()));
        b.maxInFlight(h.integer("maxInFlight", 64, 1, HttpSinkConfig.MAX_IN_FLIGHT));
        Obj cb = h.obj("circuitBreaker", "failures", "openFor");
        b.circuitBreaker(cb.integer("failures", CircuitBreakerSettings.DEFAULT.failures(), 0, 1_000_000),
                RouteMqReader.positive(cb, "openFor", CircuitBreakerSettings.DEFAULT.openFor()));
        Obj ba = h.obj("batch", "size", "linger");
        int size = ba.integer("size", 1, 1, HttpSinkConfig.MAX_BATCH);
        if (size > 1 && body != BodyFormat.ENVELOPE) {
            p.error(ba.at("size"), ba.path("size"), "a batch is a JSON array of envelopes, so it needs body: envelope, but body is "
                    + body.name().toLowerCase(Locale.ROOT), "use body: envelope, or remove batch");
        } else if (size > 1) {
            b.batch(size, ba.duration("linger", Duration.ZERO));
        }
        List<Integer> retryOn = new ArrayList<>();
        List<Node> ro = h.list("retryOn");
        for (int i = 0; i < ro.size(); i++) {
            retryOn.add((int) h.longOf(ro.get(i), Messages.index(h.path("retryOn"), i), 0, 300, 599,
                    "an HTTP status code from 300 to 599 (2xx is always success)"));
        }
        if (!retryOn.isEmpty()) b.retryOn(retryOn.toArray(Integer[]::new));
        SinkConfig.Retry retry;
        if (s.has("retry") && h.has("retry")) {
            p.error(h.keyAt("retry"), h.path("retry"), "retry is set twice, here and at " + s.path("retry"), "keep one of them");
            retry = retry(s.obj("retry", "attempts", "backoff", "maxAge"));
        } else if (h.has("retry")) {
            retry = retry(h.obj("retry", "attempts", "backoff", "maxAge"));
        } else {
            retry = retry(s.obj("retry", "attempts", "backoff", "maxAge"));
        }
        SinkConfig.Queue queue = queue(s);
        if (p.errorCount() > before) return null;
        HttpSinkConfig http = build(h, b);
        return http == null ? null : new SinkConfig(name, http, retry, queue);
    }

    /** Reads {@code queue: {maxBytes, overflow}}. */
    private static SinkConfig.Queue queue(Obj s) {
        Obj q = s.obj("queue", "maxBytes", "overflow");
        return new SinkConfig.Queue(q.size("maxBytes", SinkConfig.Queue.DEFAULT.maxBytes(), 1 << 20, Long.MAX_VALUE),
                q.choice("overflow", SinkConfig.Overflow.BLOCK, Obj.choices(entry("block", SinkConfig.Overflow.BLOCK),
                        entry("dead-letter", SinkConfig.Overflow.DEAD_LETTER))));
    }

    /** Builds the module's record; what it refuses is reported at the key its message names, else at the section. */
    private HttpSinkConfig build(Obj h, HttpSinkConfig.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            // The module names its key absolutely ("sinks.x.http.headers.A and auth are both set") or within the
            // section ("batch.size: ..."); the error goes to where that key is written.
            String msg = String.valueOf(e.getMessage());
            String prefix = h.path() + ".";
            String rel = msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
            int end = 0;
            while (end < rel.length() && rel.charAt(end) != ':' && rel.charAt(end) != ' ') end++;
            String key = rel.substring(0, end);
            String first = key.split("[.\\[]", 2)[0];
            if (!key.isEmpty() && h.written(first)) {
                String problem = end < rel.length() && rel.charAt(end) == ':' ? rel.substring(end + 1).strip() : msg;
                String rest = key.substring(first.length()).replaceFirst("^\\.", "");
                Node.Location at = rest.isEmpty() ? h.at(first) : Locator.find(h.node(first), rest);
                p.error(at, h.path() + "." + key, problem, null);
            } else {
                p.error(h.location(), h.path(), msg, null);
            }
            return null;
        }
    }

    private void auth(Obj h, HttpSinkConfig.Builder out) {
        if (!h.has("auth")) return;
        Obj a = h.obj("auth", "bearer", "basic");
        if (a.has("bearer") == a.has("basic")) {
            p.error(a.location(), a.path(), a.has("bearer") ? "set bearer or basic, not both" : "auth needs bearer or basic",
                    "auth: {bearer: ${TOKEN}} or auth: {basic: {username: u, password: ${PASSWORD}}}");
            return;
        }
        if (a.has("bearer")) {
            out.bearer(a.string("bearer", ""));
            return;
        }
        Obj b = a.obj("basic", "username", "password");
        String user = b.requiredString("username", "basic: {username: u, password: p}");
        if (user != null) out.basic(user, b.string("password", ""));
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
