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

/** Reads RouteMQ's own schema (docs/config.md) into a {@link GatewayConfig}. */
public final class RouteMqReader {

    static final String[] TOP = {"brokers", "broker", "routes", "sinks", "queue", "admin", "logging", "shutdown"};
    static final String[] BROKER = {"url", "clientId", "username", "password", "keepAlive", "cleanStart", "sessionExpiry",
            "protocol", "receiveMaximum", "maxInFlight", "sharePrefix", "tls", "reconnect"};
    static final String[] ROUTE = {"name", "topic", "broker", "qos", "shared", "exclude", "excludeRegex", "filters",
            "middleware", "to", "fanout", "enabled"};
    /** The shipped middleware a config route can name under {@code middleware:}. */
    static final List<String> MIDDLEWARE = List.of("filter");
    static final String[] HTTP = {"urls", "mode", "method", "headers", "auth", "tls", "body", "template", "timeout",
            "maxInFlight", "circuitBreaker", "batch", "retryOn", "retry"};

    /** The largest session expiry MQTT 5 can express (4,294,967,295 s). */
    static final Duration MAX_SESSION_EXPIRY = Duration.ofSeconds(0xFFFF_FFFFL);

    private final Problems p;
    private final EnvOverrides env;

    /** Creates a reader reporting to the collector and applying the environment overrides. */
    public RouteMqReader(Problems problems, EnvOverrides env) {
        this.p = problems;
        this.env = env;
    }

    /** Reads the whole document. */
    public GatewayConfig read(Node root) {
        Obj top = Obj.of(p, root, "", new Node.Location(1, 1), false, TOP);
        LinkedHashMap<String, BrokerConfig> brokers = brokers(top);
        env.applyToBrokers(brokers, top.at("brokers"));
        EmbeddedBrokerConfig embedded = embedded(top.obj("broker", BrokerConfigLoader.keys("enabled")));
        LinkedHashMap<String, SinkConfig> sinks = new LinkedHashMap<>();
        Map<String, Node.Location> sinkAt = new HashMap<>();
        Obj sinksObj = sinksObj(top);
        for (String name : sinksObj.keys()) {
            declaredSinks.add(name);
            if (!Checks.name(p, sinksObj.keyAt(name), sinksObj.path(name), "sink", name)) continue;
            SinkConfig s = sink(name, sinksObj.obj(name, "http", "retry", "queue"));
            if (s != null) {
                sinks.put(name, s);
                sinkAt.put(name, sinksObj.keyAt(name));
            }
        }
        GatewayConfig partial = new GatewayConfig(brokers, embedded, List.of(), sinks, QueueConfig.defaults(),
                AdminConfig.DEFAULT, LoggingConfig.defaults(), ShutdownConfig.DEFAULT);
        List<RouteConfig> routes = routes(top, partial, sinks);
        env.validateRouteVariables();
        Set<String> used = new java.util.HashSet<>();
        for (RouteConfig r : routes) used.addAll(r.to());
        for (String s : sinks.keySet()) {
            if (!used.contains(s)) p.warn(sinkAt.get(s), "sinks." + s, "no route sends to this sink");
        }
        if (routes.isEmpty()) p.warn(top.location(), "routes", "there are no routes: the gateway forwards nothing");
        clientIds(p, brokers, brokerAt);
        return new GatewayConfig(brokers, embedded, routes, sinks, queue(top.obj("queue", "dir", "fsync", "fsyncInterval",
                "segmentSize", "maxBytes", "overflow")), admin(top.obj("admin", "enabled", "bind", "port", "sinkFailureWindow")),
                logging(top.obj("logging", "level", "format", "file", "maxSize", "maxAge", "maxFiles", "levels")),
                new ShutdownConfig(positive(top.obj("shutdown", "timeout"), "timeout", ShutdownConfig.DEFAULT.timeout())));
    }

    private Obj sinksObj(Obj top) {
        return top.anyKeys("sinks");
    }

    /** Two sessions with the same client id on the same broker would keep disconnecting each other. */
    static void clientIds(Problems p, Map<String, BrokerConfig> brokers, Map<String, Node.Location> at) {
        Map<String, String> seen = new HashMap<>();
        for (BrokerConfig b : brokers.values()) {
            if (b.clientId().isEmpty()) continue;
            String key = b.host().toLowerCase(Locale.ROOT) + ":" + b.port() + "/" + b.clientId();
            String other = seen.putIfAbsent(key, b.name());
            if (other != null) {
                p.error(at.getOrDefault(b.name(), Node.Location.NONE), "brokers." + b.name() + ".clientId", b.clientId(),
                        "the same client id as broker '" + other + "' on the same server: the two sessions would keep disconnecting each other",
                        "give each a distinct clientId");
            }
        }
    }

    // ---------------------------------------------------------------- brokers

    private final Map<String, Node.Location> brokerAt = new HashMap<>();
    /** Every name written under brokers: and sinks:, valid or not, so that a bad one does not also show up as "unknown". */
    private final Set<String> declaredBrokers = new java.util.HashSet<>();
    private final Set<String> declaredSinks = new java.util.HashSet<>();

    private LinkedHashMap<String, BrokerConfig> brokers(Obj top) {
        LinkedHashMap<String, BrokerConfig> out = new LinkedHashMap<>();
        Node n = top.node("brokers");
        if (n == null || Obj.isNull(n)) return out;
        if (!(n instanceof Node.MapNode m)) {
            p.error(n.location(), "brokers", "expected a map of broker names to settings, got " + n.describe(),
                    n instanceof Node.ListNode ? "write 'brokers:' then one '  name:' per broker, not a list" : null);
            return out;
        }
        for (Node.Entry e : m.entries().values()) {
            declaredBrokers.add(e.key());
            String path = Messages.key("brokers", e.key());
            if (!Checks.name(p, e.keyLocation(), path, "broker", e.key())) continue;
            if (e.key().equals(GatewayConfig.EMBEDDED)) {
                p.error(e.keyLocation(), path, "the name 'embedded' is taken by the embedded broker", "choose another name");
                continue;
            }
            Obj bo = Obj.of(p, e.value(), path, e.keyLocation(), false, BROKER);
            BrokerConfig b = broker(e.key(), bo);
            if (b != null) out.put(e.key(), b);
            brokerAt.put(e.key(), bo.has("clientId") ? bo.at("clientId") : e.keyLocation());
        }
        return out;
    }

    /** The parts of an MQTT url. */
    record MqttUrl(BrokerConfig.Transport transport, String host, int port, String path) {
    }

    static final Map<String, BrokerConfig.Transport> SCHEMES = Obj.choices(entry("mqtt", BrokerConfig.Transport.MQTT),
            entry("mqtts", BrokerConfig.Transport.MQTTS), entry("ws", BrokerConfig.Transport.WS), entry("wss", BrokerConfig.Transport.WSS));

    /** Parses an MQTT url; reports problems to the collector (at {@code at}/{@code path}) and returns null on error. */
    static MqttUrl mqttUrl(Problems p, Node.Location at, String path, String text) {
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
        BrokerConfig.Transport transport = SCHEMES.get(scheme);
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

    private static final Map<String, BrokerConfig.Protocol> PROTOCOLS = Obj.choices(entry("5", BrokerConfig.Protocol.V5),
            entry("3.1.1", BrokerConfig.Protocol.V3_1_1));

    private BrokerConfig broker(String name, Obj b) {
        String urlText = b.requiredString("url", "e.g. url: mqtt://127.0.0.1:1883");
        MqttUrl url = urlText == null ? null : mqttUrl(p, b.at("url"), b.path("url"), urlText);
        boolean cleanStart = b.bool("cleanStart", true);
        String clientId = b.string("clientId", "routemq-" + name);
        if (clientId.isEmpty() && !cleanStart) {
            p.error(b.at("clientId"), b.path("clientId"), "must not be empty when cleanStart is false",
                    "a session can only be resumed under a fixed client id");
        }
        BrokerConfig.Protocol protocol = protocol(b);
        Duration keepAlive = wholeSeconds(b, "keepAlive", Duration.ofSeconds(60), Duration.ofSeconds(65535));
        Duration sessionExpiry = wholeSeconds(b, "sessionExpiry", Duration.ZERO, MAX_SESSION_EXPIRY);
        if (protocol == BrokerConfig.Protocol.V3_1_1 && !sessionExpiry.isZero()) {
            p.warn(b.at("sessionExpiry"), b.path("sessionExpiry"), "MQTT 3.1.1 has no session expiry; with cleanStart false "
                    + "the broker keeps the session as long as its own policy says");
        }
        int receiveMaximum = b.integer("receiveMaximum", io.routemq.mqtt.SessionConfig.DEFAULT_RECEIVE_MAXIMUM, 1, 65535);
        int maxInFlight = b.integer("maxInFlight", 1024, 1, 65535);
        String sharePrefix = b.string("sharePrefix", "$share");
        if (sharePrefix.isEmpty() || sharePrefix.contains("/") || sharePrefix.contains("+") || sharePrefix.contains("#")) {
            p.error(b.at("sharePrefix"), b.path("sharePrefix"), sharePrefix, "must be one topic level without wildcards", "e.g. $share");
            sharePrefix = "$share";
        }
        BrokerConfig.Tls tls = brokerTls(b, url);
        BrokerConfig.Reconnect reconnect = reconnect(b.obj("reconnect", "initialDelay", "maxDelay", "multiplier", "jitter"));
        String username = emptyToNull(b.string("username", null));
        Secret password = Secret.of(b.string("password", null));
        if (url == null) return null;
        return new BrokerConfig(name, url.transport(), url.host(), url.port(), url.path(), clientId, username, password,
                keepAlive, cleanStart, sessionExpiry, protocol, receiveMaximum, maxInFlight, sharePrefix, tls, reconnect);
    }

    private BrokerConfig.Protocol protocol(Obj b) {
        Node n = b.node("protocol");
        if (n == null || Obj.isNull(n)) return BrokerConfig.Protocol.V5;
        if (n instanceof Node.Scalar s && (Long.valueOf(4).equals(s.value()) || Long.valueOf(3).equals(s.value())
                || "4".equals(s.value()) || "3".equals(s.value()))) {
            p.error(n.location(), b.path("protocol"), "unknown MQTT version " + s.text(), "write 3.1.1 (or 5)");
            return BrokerConfig.Protocol.V5;
        }
        return b.choice("protocol", BrokerConfig.Protocol.V5, PROTOCOLS);
    }

    private BrokerConfig.Tls brokerTls(Obj b, MqttUrl url) {
        if (!b.has("tls")) return BrokerConfig.Tls.DEFAULT;
        Obj t = b.obj("tls", "ca", "cert", "key", "insecure");
        if (url != null && !url.transport().tls()) {
            p.error(b.keyAt("tls"), b.path("tls"), "tls is set but the url is " + url.transport().scheme() + "://",
                    "use " + (url.transport().webSocket() ? "wss://" : "mqtts://") + " or remove tls");
        }
        Path ca = optionalFile(t, "ca");
        Path cert = optionalFile(t, "cert");
        Path key = optionalFile(t, "key");
        if ((cert == null) != (key == null) && (t.has("cert") || t.has("key"))) {
            String missing = t.has("cert") ? "key" : "cert";
            p.error(t.location(), t.path(), "'cert' and 'key' go together", "add " + missing + ": path/to/file.pem");
        }
        return new BrokerConfig.Tls(ca, cert, key, t.bool("insecure", false));
    }

    private Path optionalFile(Obj o, String key) {
        String s = o.string(key, null);
        if (s == null || s.isEmpty()) return null;
        return Checks.file(p, o.at(key), o.path(key), s);
    }

    private BrokerConfig.Reconnect reconnect(Obj r) {
        BrokerConfig.Reconnect d = BrokerConfig.Reconnect.DEFAULT;
        Duration initial = positive(r, "initialDelay", d.initialDelay());
        Duration max = positive(r, "maxDelay", d.maxDelay());
        if (max.compareTo(initial) < 0) {
            p.error(r.at("maxDelay"), r.path("maxDelay"), "must not be shorter than initialDelay (" + Values.formatDuration(initial) + ")", null);
        }
        return new BrokerConfig.Reconnect(initial, max, r.decimal("multiplier", d.multiplier(), 1.0, 100.0),
                r.decimal("jitter", d.jitter(), 0.0, 1.0));
    }

    private Duration wholeSeconds(Obj o, String key, Duration def, Duration max) {
        Duration d = o.duration(key, def);
        if (d.toMillis() % 1000 != 0) {
            p.error(o.at(key), o.path(key), "must be whole seconds, got " + Values.formatDuration(d), "MQTT counts it in seconds");
            return def;
        }
        if (d.compareTo(max) > 0) {
            p.error(o.at(key), o.path(key), "must be at most " + Values.formatDuration(max) + ", got " + Values.formatDuration(d), null);
            return def;
        }
        return d;
    }

    private Duration positive(Obj o, String key, Duration def) {
        Duration d = o.duration(key, def);
        if (d.isZero() || d.isNegative()) {
            p.error(o.at(key), o.path(key), "must be longer than 0", null);
            return def;
        }
        return d;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    // ---------------------------------------------------------------- embedded broker

    /** {@code enabled} is the gateway's; the rest of the section is the broker module's, read by its own reader. */
    private EmbeddedBrokerConfig embedded(Obj b) {
        EmbeddedBrokerConfig d = EmbeddedBrokerConfig.defaults();
        EmbeddedBrokerConfig.Enabled enabled = d.enabled();
        Node en = b.node("enabled");
        if (en instanceof Node.Scalar s && s.value() instanceof Boolean bool) {
            enabled = bool ? EmbeddedBrokerConfig.Enabled.TRUE : EmbeddedBrokerConfig.Enabled.FALSE;
        } else if (en != null && !Obj.isNull(en)) {
            enabled = b.choice("enabled", d.enabled(), Obj.choices(entry("auto", EmbeddedBrokerConfig.Enabled.AUTO),
                    entry("true", EmbeddedBrokerConfig.Enabled.TRUE), entry("false", EmbeddedBrokerConfig.Enabled.FALSE)));
        }
        io.routemq.broker.BrokerConfig built = BrokerConfigLoader.build(b);
        if (built == null) return d;
        if (built.users().containsKey(ModuleConfigs.INTERNAL_USER)) {
            // the gateway's own session logs in under this name (with a random password per start)
            p.error(b.at("users"), b.path("users"), ModuleConfigs.INTERNAL_USER, "this user name is reserved for the gateway's own session",
                    "choose another name");
        }
        return new EmbeddedBrokerConfig(enabled, built);
    }

    // ---------------------------------------------------------------- sinks

    private static final Map<String, HttpSinkConfig.Mode> MODES = Obj.choices(entry("fanout", HttpSinkConfig.Mode.FANOUT),
            entry("round-robin", HttpSinkConfig.Mode.ROUND_ROBIN), entry("failover", HttpSinkConfig.Mode.FAILOVER));
    private static final Map<String, HttpSinkConfig.Body> BODIES = Obj.choices(entry("raw", HttpSinkConfig.Body.RAW),
            entry("envelope", HttpSinkConfig.Body.ENVELOPE), entry("go", HttpSinkConfig.Body.GO),
            entry("template", HttpSinkConfig.Body.TEMPLATE));
    private static final Map<String, String> METHODS = Obj.choices(entry("POST", "POST"), entry("PUT", "PUT"), entry("PATCH", "PATCH"));

    private SinkConfig sink(String name, Obj s) {
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
            tls = new HttpSinkConfig.Tls(optionalFile(t, "ca"), t.bool("insecure", false));
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
        HttpSinkConfig.Timeout timeout = new HttpSinkConfig.Timeout(positive(to, "connect", HttpSinkConfig.Timeout.DEFAULT.connect()),
                positive(to, "request", HttpSinkConfig.Timeout.DEFAULT.request()));
        int maxInFlight = h.integer("maxInFlight", 64, 1, io.routemq.sink.http.HttpSinkConfig.MAX_IN_FLIGHT);
        Obj cb = h.obj("circuitBreaker", "failures", "openFor");
        HttpSinkConfig.CircuitBreaker breaker = new HttpSinkConfig.CircuitBreaker(
                cb.integer("failures", HttpSinkConfig.CircuitBreaker.DEFAULT.failures(), 0, 1_000_000),
                positive(cb, "openFor", HttpSinkConfig.CircuitBreaker.DEFAULT.openFor()));
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

    // ---------------------------------------------------------------- routes

    private static final Map<String, RouteConfig.Op> OPS;

    static {
        LinkedHashMap<String, RouteConfig.Op> m = new LinkedHashMap<>();
        for (RouteConfig.Op op : RouteConfig.Op.values()) m.put(op.key(), op);
        OPS = m;
    }

    private List<RouteConfig> routes(Obj top, GatewayConfig partial, Map<String, SinkConfig> sinks) {
        List<RouteConfig> out = new ArrayList<>();
        Node n = top.node("routes");
        if (n == null || Obj.isNull(n)) return out;
        if (!(n instanceof Node.ListNode list)) {
            p.error(n.location(), "routes", "expected a list of routes, got " + n.describe(), "write one '- topic: ...' per route");
            return out;
        }
        Map<String, Node.Location> names = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String path = Messages.index("routes", i);
            Obj r = Obj.of(p, item, path, n.location(), false, ROUTE);
            RouteConfig route = route(r, partial, sinks);
            if (route == null) continue;
            Node.Location first = names.putIfAbsent(route.name(), r.has("name") ? r.at("name") : r.at("topic"));
            if (first != null) {
                p.error(r.has("name") ? r.at("name") : r.location(), r.has("name") ? r.path("name") : path,
                        "duplicate route name '" + Messages.shorten(route.name()) + "' (first at line " + first.line() + ")",
                        "give each route its own name:");
                continue;
            }
            out.add(route);
        }
        return out;
    }

    private RouteConfig route(Obj r, GatewayConfig partial, Map<String, SinkConfig> sinks) {
        String topic = r.requiredString("topic", "e.g. topic: sensors/{deviceId}/data");
        TopicPattern pattern = topic == null ? null : Checks.topic(p, r.at("topic"), r.path("topic"), topic);
        String name = r.string("name", topic);
        if (name != null && name.isBlank()) {
            p.error(r.at("name"), r.path("name"), "must not be empty", "remove it to use the topic as the name");
            name = topic;
        }
        String broker = routeBroker(r, partial);
        int qos = r.integer("qos", 1, 0, 2);
        RouteConfig.Shared shared = env.shared(shared(r));
        List<String> exclude = r.strings("exclude");
        for (int i = 0; i < exclude.size(); i++) {
            Checks.topic(p, r.list("exclude").get(i).location(), Messages.index(r.path("exclude"), i), exclude.get(i));
        }
        List<String> excludeRegex = r.strings("excludeRegex");
        for (int i = 0; i < excludeRegex.size(); i++) {
            Checks.regex(p, r.list("excludeRegex").get(i).location(), Messages.index(r.path("excludeRegex"), i), excludeRegex.get(i));
        }
        List<RouteConfig.Filter> filters = new ArrayList<>();
        List<Node> fn = r.list("filters");
        for (int i = 0; i < fn.size(); i++) {
            RouteConfig.Filter f = filter(Obj.of(p, fn.get(i), Messages.index(r.path("filters"), i), r.at("filters"), false, filterKeys()), pattern);
            if (f != null) filters.add(f);
        }
        List<MiddlewareConfig> middleware = middleware(r, pattern);
        List<String> to = to(r, sinks);
        boolean fanout = r.bool("fanout", false);
        boolean enabled = r.bool("enabled", true);
        if (topic == null || pattern == null || broker == null) return null;
        return new RouteConfig(name, topic, broker, qos, shared, exclude, excludeRegex, filters, middleware, to, fanout, enabled);
    }

    /** {@code middleware:}: a list of one-key objects, each naming a shipped middleware and holding its options. */
    private List<MiddlewareConfig> middleware(Obj r, TopicPattern pattern) {
        List<MiddlewareConfig> out = new ArrayList<>();
        List<Node> items = r.list("middleware");
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String path = Messages.index(r.path("middleware"), i);
            if (!(item instanceof Node.MapNode m) || m.entries().size() != 1) {
                p.error(item.location(), path, "expected one middleware, written as its name and its options, got " + item.describe(),
                        "e.g. - filter: {field: payload.temp, gt: 30}");
                continue;
            }
            Node.Entry e = m.entries().values().iterator().next();
            String kind = e.key();
            String at = path + "." + kind;
            if (!MIDDLEWARE.contains(kind)) {
                p.error(e.keyLocation(), at, "unknown middleware '" + Messages.shorten(kind) + "'", Suggest.hint(kind, MIDDLEWARE, "shipped middleware"));
                continue;
            }
            List<Node> conditions = e.value() instanceof Node.ListNode l ? l.items() : List.of(e.value());
            if (conditions.isEmpty()) {
                p.error(e.value().location(), at, "a filter needs at least one condition", "e.g. filter: {field: payload.temp, gt: 30}");
                continue;
            }
            List<RouteConfig.Filter> all = new ArrayList<>();
            for (int j = 0; j < conditions.size(); j++) {
                String cp = e.value() instanceof Node.ListNode ? Messages.index(at, j) : at;
                RouteConfig.Filter f = filter(Obj.of(p, conditions.get(j), cp, e.keyLocation(), false, filterKeys()), pattern);
                if (f != null) all.add(f);
            }
            if (all.size() == conditions.size()) out.add(new MiddlewareConfig.Filter(all));
        }
        return out;
    }

    private String routeBroker(Obj r, GatewayConfig partial) {
        List<String> sessions = partial.sessionNames();
        if (r.has("broker")) {
            String b = r.string("broker", null);
            if (sessions.contains(b)) return b;
            if (declaredBrokers.contains(b)) return null; // its own errors are reported
            if (b.equals(GatewayConfig.EMBEDDED)) {
                p.error(r.at("broker"), r.path("broker"), "the embedded broker is off", partial.broker().enabled()
                        == EmbeddedBrokerConfig.Enabled.FALSE ? "set broker.enabled: true" : "brokers are configured, so enabled: auto "
                        + "means off; set broker.enabled: true");
                return null;
            }
            String hint = sessions.isEmpty() ? "define it under brokers:" : Suggest.hint(b, sessions, "known brokers");
            p.error(r.at("broker"), r.path("broker"), "unknown broker '" + Messages.shorten(b) + "'", hint);
            return null;
        }
        if (sessions.size() == 1) return sessions.get(0);
        if (partial.brokers().containsKey("default")) return "default";
        if (sessions.isEmpty()) {
            p.error(r.location(), r.path(), "there is no broker to subscribe on: no brokers are configured and the embedded broker is off",
                    "add brokers: or set broker.enabled: true");
            return null;
        }
        p.error(r.location(), r.path(), "there are " + sessions.size() + " brokers, so the route must name one",
                "add broker: one of " + String.join(", ", sessions));
        return null;
    }

    private RouteConfig.Shared shared(Obj r) {
        Node n = r.node("shared");
        if (n == null || Obj.isNull(n)) return null;
        if (n instanceof Node.Scalar s && s.value() instanceof Boolean b) return b ? new RouteConfig.Shared(EnvOverrides.DEFAULT_GROUP, 1) : null;
        Obj s = r.obj("shared", "group", "workers");
        String group = s.string("group", EnvOverrides.DEFAULT_GROUP);
        if (!Checks.group(group)) {
            p.error(s.at("group"), s.path("group"), group, "a share group must be non-empty and must not contain '/', '+' or '#'", null);
            group = EnvOverrides.DEFAULT_GROUP;
        }
        return new RouteConfig.Shared(group, s.integer("workers", 1, 1, 1024));
    }

    private static String[] filterKeys() {
        List<String> k = new ArrayList<>();
        k.add("field");
        k.addAll(OPS.keySet());
        return k.toArray(String[]::new);
    }

    private RouteConfig.Filter filter(Obj f, TopicPattern pattern) {
        String field = f.requiredString("field", "field: topic | param.<name> | payload.<json.path> | userProperty.<name>");
        List<String> ops = new ArrayList<>();
        for (String k : f.keys()) if (OPS.containsKey(k)) ops.add(k);
        if (ops.size() != 1) {
            p.error(f.location(), f.path(), ops.isEmpty() ? "a filter needs a comparison" : "a filter takes one comparison, got "
                    + String.join(", ", ops), "one of " + String.join(", ", OPS.keySet()) + ", e.g. {field: payload.temp, gt: 30}");
            return null;
        }
        if (field == null || !fieldOk(f, field, pattern)) return null;
        String key = ops.get(0);
        RouteConfig.Op op = OPS.get(key);
        Node v = f.node(key);
        String path = f.path(key);
        Object value = switch (op) {
            case EQUALS, NOT_EQUALS -> scalarValue(f, v, path);
            case IN -> {
                if (!(v instanceof Node.ListNode l) || l.items().isEmpty()) {
                    p.error(v == null ? f.location() : v.location(), path, "expected a non-empty list, got " + (v == null ? "nothing" : v.describe()),
                            "write in: [a, b]");
                    yield null;
                }
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < l.items().size(); i++) values.add(scalarValue(f, l.items().get(i), Messages.index(path, i)));
                yield values.contains(null) ? null : List.copyOf(values);
            }
            case MATCHES -> {
                String re = v instanceof Node.Scalar s && s.value() instanceof String str ? str : null;
                if (re == null) {
                    p.error(v.location(), path, "expected a regular expression, got " + v.describe(), "quote it: matches: '^a.*'");
                    yield null;
                }
                yield Checks.regex(p, v.location(), path, re) == null ? null : re;
            }
            case GT, GTE, LT, LTE -> number(v, path);
            case EXISTS -> f.boolOf(v, path);
        };
        return value == null ? null : new RouteConfig.Filter(field, op, value);
    }

    private boolean fieldOk(Obj f, String field, TopicPattern pattern) {
        Node.Location at = f.at("field");
        String path = f.path("field");
        String hint = "field: topic | param.<name> | payload.<json.path> | userProperty.<name>";
        if (field.equals("topic")) return true;
        int dot = field.indexOf('.');
        String kind = dot < 0 ? field : field.substring(0, dot);
        String rest = dot < 0 ? "" : field.substring(dot + 1);
        switch (kind) {
            case "param" -> {
                if (pattern != null && !pattern.paramNames().contains(rest)) {
                    String h = pattern.paramNames().isEmpty() ? "the topic '" + pattern + "' has no {parameters}"
                            : Suggest.closest(rest, pattern.paramNames()) != null ? "did you mean 'param." + Suggest.closest(rest, pattern.paramNames()) + "'?"
                            : "its parameters: " + String.join(", ", pattern.paramNames());
                    p.error(at, path, field, "'" + rest + "' is not a parameter of the route's topic", h);
                    return false;
                }
                return pattern != null;
            }
            case "payload" -> {
                if (!rest.matches("[^.\\[\\]]+(\\[\\d+])*(\\.[^.\\[\\]]+(\\[\\d+])*)*")) {
                    p.error(at, path, field, "not a JSON path", "write payload.a.b or payload.items[0].id");
                    return false;
                }
                return true;
            }
            case "userProperty" -> {
                if (rest.isEmpty()) {
                    p.error(at, path, field, "names no user property", "write userProperty.<name>");
                    return false;
                }
                return true;
            }
            default -> {
                String sug = Suggest.closest(kind, List.of("topic", "param", "payload", "userProperty"));
                p.error(at, path, field, "unknown field", sug != null ? "did you mean '" + sug + (dot < 0 || sug.equals("topic") ? "" : "." + rest) + "'?" : hint);
                return false;
            }
        }
    }

    private Object scalarValue(Obj f, Node v, String path) {
        if (v instanceof Node.Scalar s && s.value() != null) {
            if (s.value() instanceof Number num) return decimal(num);
            return s.value();
        }
        p.error(v == null ? f.location() : v.location(), path, "expected a value (text, number or true/false), got "
                + (v == null ? "nothing" : v.describe()), null);
        return null;
    }

    private BigDecimal number(Node v, String path) {
        if (v instanceof Node.Scalar s) {
            if (s.value() instanceof Number num) return decimal(num);
            if (s.value() instanceof String str && s.substituted()) {
                try {
                    return canonical(new BigDecimal(str.strip()));
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
        }
        p.error(v.location(), path, "expected a number, got " + v.describe(), null);
        return null;
    }

    static BigDecimal decimal(Number n) {
        BigDecimal d = n instanceof BigDecimal b ? b : n instanceof java.math.BigInteger bi ? new BigDecimal(bi) : BigDecimal.valueOf(n.longValue());
        return canonical(d);
    }

    /** 30, 30.0 and 3E+1 all become 30; 2.50 becomes 2.5: equal numbers give equal models. */
    static BigDecimal canonical(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private List<String> to(Obj r, Map<String, SinkConfig> sinks) {
        String hint = sinks.isEmpty() ? "define a sink under sinks: and add to: [sinkName]" : "add to: [" + sinks.keySet().iterator().next() + "]";
        if (!r.has("to")) {
            p.error(r.location(), r.path(), "the route forwards nowhere: 'to' is missing", hint);
            return List.of();
        }
        int before = p.errorCount();
        List<Node> nodes = r.list("to");
        if (nodes.isEmpty()) {
            // not a list at all (to: {x}) has its own error already
            if (p.errorCount() == before) p.error(r.at("to"), r.path("to"), "the route forwards nowhere: 'to' is empty", hint);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String path = Messages.index(r.path("to"), i);
            String s = r.stringOf(nodes.get(i), path, null);
            if (s == null) {
                // a list or a map is reported by stringOf; an empty entry is not
                if (Obj.isNull(nodes.get(i))) p.error(nodes.get(i).location(), path, "expected a sink name, got nothing", hint);
                continue;
            }
            if (!sinks.containsKey(s) && declaredSinks.contains(s)) continue; // its own errors are reported
            if (!sinks.containsKey(s)) {
                p.error(nodes.get(i).location(), path, "unknown sink '" + Messages.shorten(s) + "'",
                        sinks.isEmpty() ? "define it under sinks:" : Suggest.hint(s, sinks.keySet(), "known sinks"));
                continue;
            }
            if (out.contains(s)) {
                p.error(nodes.get(i).location(), path, "sink '" + s + "' is listed twice", "remove one");
                continue;
            }
            out.add(s);
        }
        return out;
    }

    // ---------------------------------------------------------------- queue, admin, logging

    private QueueConfig queue(Obj q) {
        QueueConfig d = QueueConfig.defaults();
        QueueConfig.Fsync fsync = q.choice("fsync", d.fsync(), Obj.choices(entry("always", QueueConfig.Fsync.ALWAYS),
                entry("interval", QueueConfig.Fsync.INTERVAL), entry("never", QueueConfig.Fsync.NEVER)));
        Duration interval = positive(q, "fsyncInterval", d.fsyncInterval());
        if (q.has("fsyncInterval") && fsync != QueueConfig.Fsync.INTERVAL) {
            p.warn(q.keyAt("fsyncInterval"), q.path("fsyncInterval"), "has no effect unless fsync is interval");
        }
        long segment = q.size("segmentSize", d.segmentSize(), 1 << 20, 1L << 30);
        long max = q.sizeOrZero("maxBytes", d.maxBytes(), 1 << 20, Long.MAX_VALUE);
        QueueConfig.Overflow overflow = d.overflow();
        if (q.has("overflow")) {
            String o = q.string("overflow", "block");
            if (!o.equalsIgnoreCase("block")) {
                p.error(q.at("overflow"), q.path("overflow"), o, "unknown value",
                        "only block: a full queue delays acknowledgements, so the broker holds the backlog; per-sink overflow is sinks.<name>.queue.overflow");
            }
        }
        return new QueueConfig(Path.of(q.string("dir", d.dir().toString())), fsync, interval, segment, max, overflow);
    }

    private AdminConfig admin(Obj a) {
        AdminConfig d = AdminConfig.DEFAULT;
        String bind = a.has("bind") ? Checks.bindAddress(p, a.at("bind"), a.path("bind"), a.string("bind", d.bind())) : d.bind();
        return new AdminConfig(a.bool("enabled", d.enabled()), bind == null ? d.bind() : bind, a.integer("port", d.port(), 0, 65535),
                positive(a, "sinkFailureWindow", d.sinkFailureWindow()));
    }

    static final Map<String, String> LEVELS = Obj.choices(entry("trace", "trace"), entry("debug", "debug"), entry("info", "info"),
            entry("warn", "warn"), entry("error", "error"), entry("off", "off"));

    private LoggingConfig logging(Obj l) {
        LoggingConfig d = LoggingConfig.defaults();
        String level = l.choice("level", d.level(), LEVELS);
        LoggingConfig.Format format = l.choice("format", d.format(), Obj.choices(entry("console", LoggingConfig.Format.CONSOLE),
                entry("json", LoggingConfig.Format.JSON)));
        String file = emptyToNull(l.string("file", null));
        if (file != null) Checks.logFile(p, l.at("file"), l.path("file"), Path.of(file));
        long maxSize = l.size("maxSize", d.maxSize(), 1 << 10, Long.MAX_VALUE);
        Duration maxAge = l.duration("maxAge", d.maxAge());
        int maxFiles = l.integer("maxFiles", d.maxFiles(), 0, 100_000);
        LinkedHashMap<String, String> levels = new LinkedHashMap<>();
        Obj lv = l.anyKeys("levels");
        for (String logger : lv.keys()) {
            String v = lv.choice(logger, null, LEVELS);
            if (v != null) levels.put(logger, v);
        }
        return new LoggingConfig(level, format, file == null ? null : Path.of(file), maxSize, maxAge, maxFiles, levels);
    }
}
