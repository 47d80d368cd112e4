package io.routemq.server.config.internal;

import io.routemq.config.Node;
import io.routemq.config.Obj;
import io.routemq.config.Problems;
import io.routemq.config.Messages;
import io.routemq.config.Checks;

import io.routemq.server.config.AdminConfig;
import io.routemq.mqtt.SessionConfig;
import io.routemq.server.config.EmbeddedBrokerConfig;
import io.routemq.server.config.GatewayConfig;
import io.routemq.sink.http.HttpSinkConfig;
import io.routemq.sink.http.BodyFormat;
import io.routemq.sink.http.CircuitBreakerSettings;
import io.routemq.sink.http.UrlMode;
import io.routemq.server.config.LoggingConfig;
import io.routemq.queue.QueueConfig;
import io.routemq.server.config.RouteConfig;
import io.routemq.server.config.Secret;
import io.routemq.server.config.ShutdownConfig;
import io.routemq.server.config.SinkConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Go EMQX middleware's JSON config and maps it onto the same model, so that it means what it meant there.
 * docs/config.md ("The Go middleware's config") states the mapping; in short:
 * <ul>
 *   <li>each {@code mqtt_brokers[i]} is one session {@code mqtt://broker_ip:broker_port}, named after its
 *       {@code client_id}; its sessions are persistent (clean start off, session expiry 1 day);</li>
 *   <li>each {@code sub_deal_config} (an object or a list) of a broker is one route on that broker only, plus one HTTP
 *       sink of its own: every {@code callbackAddress} gets every message (fanout), as a JSON POST (body {@code go}),
 *       with {@code retry + 1} attempts one second apart, then a dead letter instead of a silent drop;</li>
 *   <li>{@code excludeTopics} are Go regular expressions found anywhere in the topic ({@code excludeRegex});</li>
 *   <li>{@code enabled: false} keeps the route but subscribes to nothing;</li>
 *   <li>{@code log_config} maps onto {@code logging};</li>
 *   <li>the durable queue defaults to {@code ./data/go-middleware/queue}, not the demo's {@code ./data/queue}, so the
 *       two run side by side ({@code ROUTEMQ_QUEUE_DIR} and {@code ROUTEMQ_ADMIN_PORT} set the rest).</li>
 * </ul>
 * Keys match ignoring case, as Go's encoding/json matches them.
 */
public final class GoReader {

    /** The session expiry given to the Go middleware's sessions, which RouteMQ makes persistent. */
    public static final Duration SESSION_EXPIRY = Duration.ofDays(1);
    /** The fixed delay between the Go middleware's retries. */
    public static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** The durable queue's directory for this format: its own, so that it never shares the demo's ./data/queue. */
    public static final Path QUEUE_DIR = Path.of("./data/go-middleware/queue");

    static final String[] TOP = {"mqtt_brokers", "log_config", "sub_deal_config"};
    static final String[] BROKER = {"client_id", "username", "password", "alive", "broker_ip", "broker_port", "sub_deal_config",
            "clean_session", "session_expiry"};
    static final String[] DEAL = {"app_name", "app_id", "enabled", "callbackMethod", "callbackAddress", "subTopic", "excludeTopics", "retry"};

    private final Problems p;
    private final EnvOverrides env;
    private final Set<String> routeNames = new HashSet<>();

    /** Creates a reader reporting to the collector. */
    public GoReader(Problems problems, EnvOverrides env) {
        this.p = problems;
        this.env = env;
    }

    /** Whether a root node is in the Go middleware's format: a map with {@code mqtt_brokers} or {@code sub_deal_config}. */
    public static boolean detect(Node root) {
        if (!(root instanceof Node.MapNode m)) return false;
        for (String k : m.entries().keySet()) {
            if (k.equalsIgnoreCase("mqtt_brokers") || k.equalsIgnoreCase("sub_deal_config")) return true;
        }
        return false;
    }

    private record Pending(String broker, Node deal, String path) {
    }

    /** Reads the whole document. */
    public GatewayConfig read(Node root) {
        List<String> known = new ArrayList<>(List.of(TOP));
        known.addAll(List.of(RouteMqReader.TOP)); // reported below with a better message than "unknown key"
        Obj top = Obj.of(p, root, "", new Node.Location(1, 1), true, known.toArray(String[]::new));
        for (String k : top.keys()) {
            if (List.of(RouteMqReader.TOP).contains(k)) {
                p.error(top.keyAt(k), k, "a RouteMQ key in a file in the Go middleware's format (it has mqtt_brokers)",
                        "write the whole file in one format; docs/config.md shows the RouteMQ equivalent of a Go config");
            }
        }
        LinkedHashMap<String, SessionConfig> brokers = new LinkedHashMap<>();
        Map<String, Node.Location> brokerAt = new HashMap<>();
        List<Pending> deals = new ArrayList<>();
        List<Node> list = top.list("mqtt_brokers");
        if (!top.has("mqtt_brokers")) {
            top.missing("mqtt_brokers", "the Go middleware's config lists its brokers under mqtt_brokers");
        } else if (list.isEmpty()) {
            p.error(top.at("mqtt_brokers"), top.path("mqtt_brokers"), "no brokers", "add at least one {broker_ip, broker_port, ...}");
        }
        for (int i = 0; i < list.size(); i++) {
            String path = Messages.index(top.path("mqtt_brokers"), i);
            Obj b = Obj.of(p, list.get(i), path, top.at("mqtt_brokers"), true, BROKER);
            String name = brokerName(b, i, brokers.keySet());
            SessionConfig broker = broker(b, name);
            if (broker != null) {
                brokers.put(name, broker);
                brokerAt.put(name, b.has("client_id") ? b.at("client_id") : b.location());
            }
            // Validate the deals of a broker with errors too, so that one run reports everything.
            for (Node d : deals(b, "sub_deal_config")) deals.add(new Pending(name, d, pathOf(b, "sub_deal_config", d)));
        }
        // A top-level sub_deal_config (a RouteMQ extension; the Go program reads it only inside a broker) applies to every broker.
        for (Node d : deals(top, "sub_deal_config")) {
            for (String name : brokers.keySet()) deals.add(new Pending(name, d, pathOf(top, "sub_deal_config", d)));
        }
        boolean topLevel = top.has("sub_deal_config") && brokers.size() > 1;
        env.applyToBrokers(brokers, top.at("mqtt_brokers"));
        env.validateRouteVariables();
        RouteMqReader.clientIds(p, brokers, brokerAt);

        List<RouteConfig> routes = new ArrayList<>();
        LinkedHashMap<String, SinkConfig> sinks = new LinkedHashMap<>();
        for (Pending d : deals) {
            boolean qualify = topLevel && !d.path().startsWith("mqtt_brokers");
            deal(Obj.of(p, d.deal(), d.path(), top.location(), true, DEAL), d.broker(), qualify, routes, sinks);
        }
        if (deals.isEmpty() && !brokers.isEmpty()) {
            p.warn(top.at("mqtt_brokers"), "mqtt_brokers", "no sub_deal_config: the gateway subscribes to nothing");
        }
        EmbeddedBrokerConfig embedded = EmbeddedBrokerConfig.defaults();
        QueueConfig queue = GatewayConfig.defaultQueue().toBuilder().dir(QUEUE_DIR).build();
        return new GatewayConfig(brokers, embedded, routes, sinks, queue, AdminConfig.DEFAULT,
                logging(top), ShutdownConfig.DEFAULT);
    }

    private String pathOf(Obj o, String key, Node d) {
        Node n = o.node(key);
        if (n instanceof Node.ListNode l) return Messages.index(o.path(key), l.items().indexOf(d));
        return o.path(key);
    }

    private List<Node> deals(Obj o, String key) {
        Node n = o.node(key);
        if (n == null || Obj.isNull(n)) return List.of();
        if (n instanceof Node.ListNode l) return l.items();
        if (n instanceof Node.MapNode) return List.of(n);
        p.error(n.location(), o.path(key), "expected an object or a list of objects, got " + n.describe(), null);
        return List.of();
    }

    private static String brokerName(Obj b, int index, Set<String> taken) {
        Node n = b.node("client_id");
        String clientId = n instanceof Node.Scalar s && s.value() != null ? s.text() : "";
        return uniqueName(sanitize(clientId.isEmpty() ? "broker-" + (index + 1) : clientId), taken, index);
    }

    private SessionConfig broker(Obj b, String name) {
        String clientId = b.string("client_id", "");
        String host = b.requiredString("broker_ip", "e.g. \"broker_ip\": \"127.0.0.1\"");
        if (host != null && (host.contains("://") || host.contains("/"))) {
            p.error(b.at("broker_ip"), b.path("broker_ip"), host, "broker_ip is a host name or address, not a url",
                    "write just the host, e.g. \"127.0.0.1\"");
            host = null;
        }
        int port = 0;
        if (!b.has("broker_port")) b.missing("broker_port", "e.g. \"broker_port\": 1883");
        else port = b.integer("broker_port", 0, 1, 65535);
        int alive = b.integer("alive", 60, 0, 65535);
        boolean clean = b.bool("clean_session", false);
        long expiry = b.longValue("session_expiry", SESSION_EXPIRY.toSeconds(), 0, 0xFFFF_FFFFL);
        String username = RouteMqReader.emptyToNull(b.string("username", null));
        String password = b.string("password", null);
        if (host == null || port == 0) return null;
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        SessionConfig.Builder s = SessionConfig.builder(name, new MqttUrl(MqttUrl.Transport.MQTT, host, port, "").url())
                .clientId(clientId.isEmpty() ? "routemq-" + name : clientId).keepAlive(Duration.ofSeconds(alive))
                .maxInFlight(RouteMqReader.MAX_IN_FLIGHT);
        if (username != null) s.credentials(username, password);
        if (clean) s.cleanStart();
        else s.persistentSession(Duration.ofSeconds(expiry));
        try {
            return s.build();
        } catch (IllegalArgumentException e) {
            p.error(b.location(), b.path(), String.valueOf(e.getMessage()).replaceFirst("^session '[^']*': ", ""), null);
            return null;
        }
    }

    static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' || c == '-' ? c : '-');
        }
        String out = sb.toString();
        if (out.equals(GatewayConfig.EMBEDDED)) out = "embedded-1";
        return out.isEmpty() ? "x" : out;
    }

    private static String uniqueName(String base, Set<String> taken, int index) {
        if (!taken.contains(base)) return base;
        String n = base + "-" + (index + 1);
        int k = 2;
        while (taken.contains(n)) n = base + "-" + (index + 1) + "-" + k++;
        return n;
    }

    private void deal(Obj d, String broker, boolean qualify, List<RouteConfig> routes, Map<String, SinkConfig> sinks) {
        Obj sub = d.obj("subTopic", "topic", "qos");
        String topic = null;
        if (!d.has("subTopic")) d.missing("subTopic", "e.g. \"subTopic\": {\"topic\": \"from/v1/#\", \"qos\": 0}");
        else topic = sub.requiredString("topic", "e.g. \"topic\": \"from/v1/#\"");
        int qos = sub.integer("qos", 0, 0, 2);
        RouteConfig.Shared shared = null;
        if (topic != null && topic.startsWith("$share/")) {
            int slash = topic.indexOf('/', 7);
            String group = slash < 0 ? "" : topic.substring(7, slash);
            if (slash < 0 || !Checks.group(group)) {
                p.error(sub.at("topic"), sub.path("topic"), topic, "a shared subscription is $share/<group>/<filter>", null);
                topic = null;
            } else {
                shared = new RouteConfig.Shared(group, 1);
                topic = topic.substring(slash + 1);
            }
        }
        if (topic != null && (topic.indexOf('{') >= 0 || topic.indexOf('}') >= 0)) {
            p.error(sub.at("topic"), sub.path("topic"), topic, "RouteMQ reads '{...}' in a topic as a parameter, so this "
                    + "filter would not mean what it meant in the Go middleware", "write the config in RouteMQ's format and use + for that level");
            topic = null;
        }
        if (topic != null && Checks.topic(p, sub.at("topic"), sub.path("topic"), topic) == null) topic = null;
        shared = env.shared(shared);

        boolean enabled;
        if (!d.has("enabled")) {
            enabled = false;
            p.warn(d.location(), d.path(), "'enabled' is missing, so this sub_deal_config is off, as in the Go middleware "
                    + "(its zero value is false); add \"enabled\": true to forward");
        } else {
            enabled = d.bool("enabled", false);
        }
        String method = d.string("callbackMethod", null);
        if (method == null) {
            d.missing("callbackMethod", "\"callbackMethod\": \"HTTP\" (or \"HTTPS\")");
        } else if (!method.equalsIgnoreCase("HTTP") && !method.equalsIgnoreCase("HTTPS")) {
            p.error(d.at("callbackMethod"), d.path("callbackMethod"), method, "unsupported callbackMethod",
                    "HTTP or HTTPS (the Go middleware silently sends nothing for anything else)");
        }
        List<URI> urls = new ArrayList<>();
        List<Node> addr = d.list("callbackAddress");
        if (addr.isEmpty()) {
            p.error(d.has("callbackAddress") ? d.at("callbackAddress") : d.location(), d.has("callbackAddress") ? d.path("callbackAddress") : d.path(),
                    "no callbackAddress", "add \"callbackAddress\": [\"http://127.0.0.1:8000/api/test\"]");
        }
        for (int i = 0; i < addr.size(); i++) {
            String path = Messages.index(d.path("callbackAddress"), i);
            String text = d.stringOf(addr.get(i), path, null);
            URI u = text == null ? null : Checks.httpUrl(p, addr.get(i).location(), path, text);
            if (u != null) urls.add(u);
        }
        List<String> regexes = new ArrayList<>();
        List<String> excludes = d.strings("excludeTopics");
        for (int i = 0; i < excludes.size(); i++) {
            Node.Location at = d.list("excludeTopics").get(i).location();
            String path = Messages.index(d.path("excludeTopics"), i);
            GoRegex.Result r = GoRegex.toJava(excludes.get(i));
            if (r.problem() != null) {
                p.error(at, path, excludes.get(i), "cannot translate this Go regular expression", r.problem());
            } else if (Checks.regex(p, at, path, r.java()) != null) {
                regexes.add(r.java());
            }
        }
        int retry = d.integer("retry", 0, 0, 1_000_000);

        String base = d.string("app_name", "");
        if (base.isBlank()) base = d.string("app_id", "");
        if (base.isBlank()) base = topic == null ? "route" : topic;
        if (qualify) base = base + "@" + broker;
        String name = base;
        for (int k = 2; routeNames.contains(name); k++) name = base + "-" + k;
        if (topic == null || p.hasErrors()) {
            routeNames.add(name);
            return;
        }
        routeNames.add(name);
        String sinkName = sanitize(name);
        for (int k = 2; sinks.containsKey(sinkName); k++) sinkName = sanitize(name) + "-" + k;
        // the Go middleware's behaviour: every url gets every message, its JSON body, no circuit breaker
        HttpSinkConfig http = HttpSinkConfig.builder(sinkName).urls(urls).mode(UrlMode.FANOUT)
                .body(BodyFormat.GO).maxInFlight(64)
                .circuitBreaker(0, CircuitBreakerSettings.DEFAULT.openFor()).build();
        sinks.put(sinkName, new SinkConfig(sinkName, http, new SinkConfig.Retry(retry + 1, RETRY_DELAY, RETRY_DELAY, Duration.ZERO),
                SinkConfig.Queue.DEFAULT));
        routes.add(new RouteConfig(name, topic, broker, qos, shared, List.of(), regexes, List.of(), List.of(sinkName), true, enabled));
    }

    private static final Map<String, String> LEVELS = Obj.choices(Map.entry("debug", "debug"), Map.entry("info", "info"),
            Map.entry("warn", "warn"), Map.entry("warning", "warn"), Map.entry("error", "error"), Map.entry("dpanic", "error"),
            Map.entry("panic", "error"), Map.entry("fatal", "error"));

    private LoggingConfig logging(Obj top) {
        LoggingConfig d = LoggingConfig.defaults();
        if (!top.has("log_config")) return d;
        Obj l = top.obj("log_config", "level", "filename", "maxSize", "max_age", "max_backups");
        String level = l.choice("level", "info", LEVELS);
        String file = RouteMqReader.emptyToNull(l.string("filename", null));
        if (file != null) Checks.logFile(p, l.at("filename"), l.path("filename"), Path.of(file));
        int maxSizeMb = l.integer("maxSize", 0, 0, 1 << 20);
        int maxAgeDays = l.integer("max_age", 0, 0, 100_000);
        int backups = l.integer("max_backups", 0, 0, 100_000);
        // lumberjack's zero values: 100 MB, no age limit, keep every file.
        return new LoggingConfig(level, LoggingConfig.Format.CONSOLE, file == null ? null : Path.of(file),
                (maxSizeMb == 0 ? 100L : maxSizeMb) << 20, Duration.ofDays(maxAgeDays), backups, Map.of());
    }

}
