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
import io.routemq.mqtt.ProtocolVersion;
import io.routemq.mqtt.ReconnectPolicy;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.TlsConfig;
import io.routemq.server.config.EmbeddedBrokerConfig;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.LoggingConfig;
import io.routemq.server.config.MiddlewareConfig;
import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.QueueConfig;
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

    static final String[] TOP = {"brokers", "broker", "routes", "sinks", "queue", "admin", "logging", "shutdown", "redis", "database", "jobs"};
    static final String[] BROKER = {"url", "clientId", "username", "password", "keepAlive", "cleanStart", "sessionExpiry",
            "protocol", "receiveMaximum", "maxInFlight", "sharePrefix", "tls", "reconnect"};
    static final String[] ROUTE = {"name", "topic", "broker", "qos", "shared", "exclude", "excludeRegex", "filters",
            "middleware", "to", "fanout", "enabled"};
    /** The shipped middleware a config route can name under {@code middleware:}. */
    static final List<String> MIDDLEWARE = List.of("filter", "rateLimit", "auth", "validate", "dedup", "log");

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
        LinkedHashMap<String, SessionConfig> brokers = brokers(top);
        env.applyToBrokers(brokers, top.at("brokers"));
        EmbeddedBrokerConfig embedded = embedded(top.obj("broker", BrokerConfigLoader.keys("enabled")));
        LinkedHashMap<String, SinkConfig> sinks = new LinkedHashMap<>();
        Map<String, Node.Location> sinkAt = new HashMap<>();
        Obj sinksObj = sinksObj(top);
        for (String name : sinksObj.keys()) {
            declaredSinks.add(name);
            if (!Checks.name(p, sinksObj.keyAt(name), sinksObj.path(name), "sink", name)) continue;
            SinkConfig s = new SinkReader(p).sink(name, sinksObj.obj(name, SinkReader.SINK));
            if (s != null) {
                sinks.put(name, s);
                sinkAt.put(name, sinksObj.keyAt(name));
            }
        }
        GatewayConfig partial = new GatewayConfig(brokers, embedded, List.of(), sinks, GatewayConfig.defaultQueue(),
                AdminConfig.DEFAULT, LoggingConfig.defaults(), ShutdownConfig.DEFAULT);
        List<RouteConfig> routes = new RouteReader(p, env, declaredBrokers, declaredSinks, top.has("redis")).routes(top, partial, sinks);
        env.validateRouteVariables();
        Set<String> used = new java.util.HashSet<>();
        for (RouteConfig r : routes) {
            used.addAll(r.to());
            for (MiddlewareConfig m : r.middleware()) {
                if (m instanceof MiddlewareConfig.Validate v && v.options().deadLetter() != null) used.add(v.options().deadLetter());
            }
        }
        for (String s : sinks.keySet()) {
            if (!used.contains(s)) p.warn(sinkAt.get(s), "sinks." + s, "no route sends to this sink");
        }
        if (routes.isEmpty()) p.warn(top.location(), "routes", "there are no routes: the gateway forwards nothing");
        clientIds(p, brokers, brokerAt);
        GatewayConfig read = new GatewayConfig(brokers, embedded, routes, sinks, queue(top.obj("queue", "dir", "fsync", "fsyncInterval",
                "segmentSize", "maxBytes", "overflow")), admin(top.obj("admin", "enabled", "bind", "port", "sinkFailureWindow")),
                logging(top.obj("logging", "level", "format", "file", "maxSize", "maxAge", "maxFiles", "levels")),
                new ShutdownConfig(positive(top.obj("shutdown", "timeout"), "timeout", ShutdownConfig.DEFAULT.timeout())));
        return read.withServices(top.has("redis") ? ServicesReader.redis(top.obj("redis", ServicesReader.REDIS)) : null,
                top.has("database") ? ServicesReader.database(top.obj("database", ServicesReader.DATABASE)) : null)
                .withJobs(top.has("jobs") ? ServicesReader.jobs(top.obj("jobs", ServicesReader.JOBS), top.has("redis"), top.has("database")) : null);
    }

    private Obj sinksObj(Obj top) {
        return top.anyKeys("sinks");
    }

    /** Two sessions with the same client id on the same broker would keep disconnecting each other. */
    static void clientIds(Problems p, Map<String, SessionConfig> brokers, Map<String, Node.Location> at) {
        Map<String, String> seen = new HashMap<>();
        for (SessionConfig b : brokers.values()) {
            if (b.clientId() == null || b.clientId().isEmpty()) continue;
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

    private LinkedHashMap<String, SessionConfig> brokers(Obj top) {
        LinkedHashMap<String, SessionConfig> out = new LinkedHashMap<>();
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
            SessionConfig b = broker(e.key(), bo);
            if (b != null) out.put(e.key(), b);
            brokerAt.put(e.key(), bo.has("clientId") ? bo.at("clientId") : e.keyLocation());
        }
        return out;
    }

    private static final Map<String, ProtocolVersion> PROTOCOLS = Obj.choices(entry("5", ProtocolVersion.MQTT_5),
            entry("3.1.1", ProtocolVersion.MQTT_3_1_1));
    /** The most outgoing QoS 1/2 messages in flight per connection, unless written (docs/config.md). */
    static final int MAX_IN_FLIGHT = 1024;

    /** A {@code brokers:} entry, bound into the MQTT module's own {@link SessionConfig}. */
    private SessionConfig broker(String name, Obj b) {
        int before = p.errorCount();
        String urlText = b.requiredString("url", "e.g. url: mqtt://127.0.0.1:1883");
        MqttUrl url = urlText == null ? null : MqttUrl.parse(p, b.at("url"), b.path("url"), urlText);
        boolean cleanStart = b.bool("cleanStart", true);
        String clientId = b.string("clientId", "routemq-" + name);
        if (clientId.isEmpty() && !cleanStart) {
            p.error(b.at("clientId"), b.path("clientId"), "must not be empty when cleanStart is false",
                    "a session can only be resumed under a fixed client id");
        }
        ProtocolVersion protocol = protocol(b);
        Duration keepAlive = wholeSeconds(b, "keepAlive", Duration.ofSeconds(60), Duration.ofSeconds(65535));
        Duration sessionExpiry = wholeSeconds(b, "sessionExpiry", Duration.ZERO, MAX_SESSION_EXPIRY);
        if (protocol == ProtocolVersion.MQTT_3_1_1 && !sessionExpiry.isZero()) {
            p.warn(b.at("sessionExpiry"), b.path("sessionExpiry"), "MQTT 3.1.1 has no session expiry; with cleanStart false "
                    + "the broker keeps the session as long as its own policy says");
        }
        int receiveMaximum = b.integer("receiveMaximum", SessionConfig.DEFAULT_RECEIVE_MAXIMUM, 1, 65535);
        int maxInFlight = b.integer("maxInFlight", MAX_IN_FLIGHT, 1, 65535);
        String sharePrefix = b.string("sharePrefix", "$share");
        if (sharePrefix.isEmpty() || sharePrefix.contains("/") || sharePrefix.contains("+") || sharePrefix.contains("#")) {
            p.error(b.at("sharePrefix"), b.path("sharePrefix"), sharePrefix, "must be one topic level without wildcards", "e.g. $share");
        }
        TlsConfig tls = brokerTls(b, url);
        ReconnectPolicy reconnect = reconnect(b.obj("reconnect", "initialDelay", "maxDelay", "multiplier", "jitter"));
        String username = emptyToNull(b.string("username", null));
        String password = b.string("password", null);
        if (url == null || p.errorCount() > before) return null;
        SessionConfig.Builder s = SessionConfig.builder(name, url.url()).clientId(clientId).keepAlive(keepAlive)
                .protocolVersion(protocol).receiveMaximum(receiveMaximum).maxInFlight(maxInFlight).sharePrefix(sharePrefix)
                .reconnect(reconnect);
        if (username != null || password != null) s.credentials(username, password);
        if (cleanStart) s.cleanStart();
        else s.persistentSession(sessionExpiry);
        if (tls != null) s.tls(tls);
        try {
            return s.build();
        } catch (IllegalArgumentException e) {
            // "session 'plant': keepAlive must be ...": placed at the key it names
            String msg = String.valueOf(e.getMessage()).replaceFirst("^session '[^']*': ", "");
            String key = msg.contains(" ") ? msg.substring(0, msg.indexOf(' ')) : "";
            if (b.written(key)) p.error(b.at(key), b.path(key), msg.substring(key.length()).strip(), null);
            else p.error(b.location(), b.path(), msg, null);
            return null;
        }
    }

    private ProtocolVersion protocol(Obj b) {
        Node n = b.node("protocol");
        if (n == null || Obj.isNull(n)) return ProtocolVersion.MQTT_5;
        if (n instanceof Node.Scalar s && (Long.valueOf(4).equals(s.value()) || Long.valueOf(3).equals(s.value())
                || "4".equals(s.value()) || "3".equals(s.value()))) {
            p.error(n.location(), b.path("protocol"), "unknown MQTT version " + s.text(), "write 3.1.1 (or 5)");
            return ProtocolVersion.MQTT_5;
        }
        return b.choice("protocol", ProtocolVersion.MQTT_5, PROTOCOLS);
    }

    /** The session's TLS options, or null for the defaults. */
    private TlsConfig brokerTls(Obj b, MqttUrl url) {
        if (!b.has("tls")) return null;
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
        TlsConfig.Builder tls = TlsConfig.builder();
        if (ca != null) tls.ca(ca);
        if (cert != null && key != null) tls.clientCertificate(cert, key);
        if (t.bool("insecure", false)) tls.insecure(true);
        return tls.build();
    }

    static Path optionalFile(Obj o, String key) {
        String s = o.string(key, null);
        if (s == null || s.isEmpty()) return null;
        return Checks.file(o.problems(), o.at(key), o.path(key), s);
    }

    private ReconnectPolicy reconnect(Obj r) {
        ReconnectPolicy d = ReconnectPolicy.DEFAULT;
        Duration initial = positive(r, "initialDelay", d.initialDelay());
        Duration max = positive(r, "maxDelay", d.maxDelay());
        if (max.compareTo(initial) < 0) {
            p.error(r.at("maxDelay"), r.path("maxDelay"), "must not be shorter than initialDelay (" + Values.formatDuration(initial) + ")", null);
            max = initial;
        }
        return new ReconnectPolicy(initial, max, r.decimal("multiplier", d.multiplier(), 1.0, 100.0),
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

    static Duration positive(Obj o, String key, Duration def) {
        Duration d = o.duration(key, def);
        if (d.isZero() || d.isNegative()) {
            o.problems().error(o.at(key), o.path(key), "must be longer than 0", null);
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

    // ---------------------------------------------------------------- queue, admin, logging

    /** The {@code queue:} section, bound into the queue module's own record. */
    private QueueConfig queue(Obj q) {
        QueueConfig d = GatewayConfig.defaultQueue();
        FsyncPolicy.Mode mode = q.choice("fsync", d.fsync().mode(), Obj.choices(entry("always", FsyncPolicy.Mode.ALWAYS),
                entry("interval", FsyncPolicy.Mode.INTERVAL), entry("never", FsyncPolicy.Mode.NEVER)));
        Duration interval = positive(q, "fsyncInterval", d.fsync().interval());
        if (q.has("fsyncInterval") && mode != FsyncPolicy.Mode.INTERVAL) {
            p.warn(q.keyAt("fsyncInterval"), q.path("fsyncInterval"), "has no effect unless fsync is interval");
        }
        long segment = q.size("segmentSize", d.segmentBytes(), 1 << 20, 1L << 30);
        long max = q.sizeOrZero("maxBytes", d.maxBytes(), 1 << 20, Long.MAX_VALUE);
        if (q.has("overflow")) {
            String o = q.string("overflow", "block");
            if (!o.equalsIgnoreCase("block")) {
                p.error(q.at("overflow"), q.path("overflow"), o, "unknown value",
                        "only block: a full queue delays acknowledgements, so the broker holds the backlog; per-sink overflow is sinks.<name>.queue.overflow");
            }
        }
        FsyncPolicy fsync = switch (mode) {
            case ALWAYS -> FsyncPolicy.always();
            case INTERVAL -> FsyncPolicy.interval(interval);
            case NEVER -> FsyncPolicy.never();
        };
        return d.toBuilder().dir(Path.of(q.string("dir", d.dir().toString()))).fsync(fsync).segmentBytes(segment)
                .maxBytes(max == 0 ? Long.MAX_VALUE : max).build();
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
