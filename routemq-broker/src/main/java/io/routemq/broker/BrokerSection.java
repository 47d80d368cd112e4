package io.routemq.broker;

import static java.util.Map.entry;

import io.routemq.config.Checks;
import io.routemq.config.Messages;
import io.routemq.config.Node;
import io.routemq.config.Obj;
import io.routemq.config.Problems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the {@code broker:} section (docs/config.md, "broker") into {@link BrokerConfig.Builder}: the one reader of
 * the section, used by {@code routemq broker --config} and by the gateway. Every problem goes to the collector at the
 * line and key the user wrote. Spellings of the former broker-only dialect are read with a warning that names the key
 * to write instead.
 */
final class BrokerSection {

    /** The keys of the section; the gateway adds {@code enabled}. */
    static final List<String> KEYS = List.of("bind", "port", "wsPort", "wsPath", "tls", "dataDir", "inMemory",
            "allowAnonymous", "passwordFile", "users", "acl", "maxKeepAlive", "maxPacketSize", "maxSessionExpiry",
            "serverReceiveMaximum", "queue");
    /** Former spellings, still read, each with a warning naming its replacement. */
    static final Map<String, String> DEPRECATED = Map.of("bindAddress", "bind", "persistence", "inMemory",
            "maxQueuedMessages", "queue.maxPerClient", "queueOverflow", "queue.overflow");

    private static final Map<String, BrokerConfig.QueueOverflow> OVERFLOW = Obj.choices(
            entry("discardNew", BrokerConfig.QueueOverflow.DISCARD_NEW),
            entry("discardOldest", BrokerConfig.QueueOverflow.DISCARD_OLDEST));
    private static final Map<String, List<BrokerConfig.Action>> ACCESS = Obj.choices(
            entry("publish", List.of(BrokerConfig.Action.PUBLISH)),
            entry("subscribe", List.of(BrokerConfig.Action.SUBSCRIBE)),
            entry("all", List.of(BrokerConfig.Action.PUBLISH, BrokerConfig.Action.SUBSCRIBE)));

    private final Problems p;

    private BrokerSection(Problems p) {
        this.p = p;
    }

    /** Every key a {@code broker:} section may hold, the former spellings included, plus {@code extra}. */
    static String[] known(String... extra) {
        List<String> all = new ArrayList<>(KEYS);
        all.addAll(DEPRECATED.keySet());
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    /** Binds the section; a key that is not written keeps the builder's default. */
    static BrokerConfig.Builder bind(Obj b) {
        return new BrokerSection(b.problems()).read(b);
    }

    private BrokerConfig.Builder read(Obj b) {
        BrokerConfig d = BrokerConfig.defaults();
        BrokerConfig.Builder out = BrokerConfig.builder();
        String bind = d.bindAddress();
        String bindKey = b.has("bind") ? "bind" : b.has("bindAddress") ? deprecated(b, "bindAddress") : null;
        if (bindKey != null) {
            String checked = Checks.bindAddress(p, b.at(bindKey), b.path(bindKey), b.string(bindKey, d.bindAddress()));
            if (checked != null) bind = checked;
        }
        out.bindAddress(bind);
        int port = b.integer("port", d.port(), 0, 65535);
        out.port(port);
        int wsPort = wsPort(b);
        if (wsPort > 0 && wsPort == port) {
            p.error(b.at("wsPort"), b.path("wsPort"), "must differ from port (" + port + ")",
                    "choose another port, or 0 for no WebSocket");
        }
        out.wsPort(wsPort);
        String wsPath = b.string("wsPath", d.wsPath());
        if (!wsPath.startsWith("/")) {
            p.error(b.at("wsPath"), b.path("wsPath"), wsPath, "must start with '/'", "e.g. /mqtt");
        } else {
            out.wsPath(wsPath);
        }
        if (b.has("tls")) tls(b.obj("tls", "port", "cert", "key"), out);
        out.dataDir(Path.of(b.string("dataDir", d.dataDir().toString())));
        if (memory(b)) out.inMemory();
        boolean anonymous = b.bool("allowAnonymous", d.allowAnonymous());
        out.allowAnonymous(anonymous);
        if (anonymous && !isLoopback(bind)) {
            p.warn(b.at("allowAnonymous"), b.path("allowAnonymous"), "anonymous clients are allowed on " + bind
                    + ", which is not a loopback address: anyone who can reach it may publish and subscribe");
        }
        String pwFile = b.string("passwordFile", null);
        if (pwFile != null && !pwFile.isEmpty()) out.passwordFile(Checks.file(p, b.at("passwordFile"), b.path("passwordFile"), pwFile));
        users(b, out);
        acl(b, out);
        out.maxKeepAlive(wholeSeconds(b, "maxKeepAlive", d.maxKeepAlive(), 1, 65535));
        out.maxPacketSize(b.size("maxPacketSize", d.maxPacketSize(), 1, 256L << 20));
        out.maxSessionExpiry(wholeSeconds(b, "maxSessionExpiry", d.maxSessionExpiry(), 0, 0xFFFF_FFFFL));
        out.serverReceiveMaximum(b.integer("serverReceiveMaximum", d.serverReceiveMaximum(), 1, 65535));
        queue(b, out, d);
        return out;
    }

    private String deprecated(Obj b, String old) {
        p.warn(b.keyAt(old), b.path(old), "'" + old + "' is deprecated: write '" + DEPRECATED.get(old) + "' instead");
        return old;
    }

    /** {@code wsPort}: a port, or 0 / off / false for no WebSocket listener. */
    private int wsPort(Obj b) {
        Node n = b.node("wsPort");
        if (n == null || Obj.isNull(n)) return BrokerConfig.DISABLED;
        if (n instanceof Node.Scalar s && (Boolean.FALSE.equals(s.value()) || "off".equals(s.value()))) return BrokerConfig.DISABLED;
        int port = b.integer("wsPort", 0, 0, 65535);
        return port == 0 ? BrokerConfig.DISABLED : port;
    }

    private void tls(Obj t, BrokerConfig.Builder out) {
        int port = t.integer("port", 8883, 0, 65535);
        String cert = t.requiredString("cert", "the PEM certificate file, e.g. cert: certs/server.pem");
        String key = t.requiredString("key", "the PEM private key file, e.g. key: certs/server.key");
        Path certFile = cert == null ? null : Checks.file(p, t.at("cert"), t.path("cert"), cert);
        Path keyFile = key == null ? null : Checks.file(p, t.at("key"), t.path("key"), key);
        if (certFile != null && keyFile != null) out.tls(new BrokerConfig.Tls(port, certFile, keyFile));
    }

    /** {@code inMemory: true}, or the former {@code persistence: memory}. */
    private boolean memory(Obj b) {
        if (!b.has("persistence")) return b.bool("inMemory", false);
        deprecated(b, "persistence");
        if (b.has("inMemory")) {
            p.error(b.keyAt("persistence"), b.path("persistence"), "set twice, here and as inMemory", "keep inMemory only");
        }
        return b.choice("persistence", false, Obj.choices(entry("file", false), entry("memory", true), entry("in-memory", true)));
    }

    /** {@code users: [{username, password}]}; the former {@code users: {name: password}} with a warning. */
    private void users(Obj b, BrokerConfig.Builder out) {
        Node n = b.node("users");
        if (n instanceof Node.MapNode) {
            p.warn(b.keyAt("users"), b.path("users"), "a mapping of user names to passwords is deprecated: write a list, "
                    + "- {username: NAME, password: PASSWORD}");
            Obj m = b.anyKeys("users");
            for (String name : m.keys()) user(m.keyAt(name), m.path(name), name, m.string(name, ""), out, new HashMap<>());
            return;
        }
        Map<String, Node.Location> seen = new HashMap<>();
        List<Node> items = b.list("users");
        for (int i = 0; i < items.size(); i++) {
            Obj u = Obj.of(p, items.get(i), Messages.index(b.path("users"), i), b.at("users"), false, "username", "password");
            String name = u.requiredString("username", "each user needs username and password");
            String pw = u.requiredString("password", "each user needs username and password");
            if (name != null && pw != null) user(u.at("username"), u.path("username"), name, pw, out, seen);
        }
    }

    private void user(Node.Location at, String path, String name, String password, BrokerConfig.Builder out,
                      Map<String, Node.Location> seen) {
        if (name.isBlank() || name.indexOf(':') >= 0) {
            p.error(at, path, name, "a user name must not be empty or contain ':'",
                    "the password file separates user and password with ':'");
            return;
        }
        Node.Location first = seen.putIfAbsent(name, at);
        if (first != null) {
            p.error(at, path, "duplicate user '" + name + "' (first at line " + first.line() + ")", "remove one of them");
            return;
        }
        out.user(name, password);
    }

    /**
     * {@code acl: [{user, clientId, topic, access, allow}]}, first match wins, anything else denied; the former
     * {@code acl: {default, rules: [{allow|deny: ACTIONS, topic|topics, user, clientId}]}} with a warning.
     */
    private void acl(Obj b, BrokerConfig.Builder out) {
        Node n = b.node("acl");
        if (n instanceof Node.MapNode) {
            p.warn(b.keyAt("acl"), b.path("acl"), "acl with default/rules is deprecated: write a list of rules, "
                    + "- {topic: FILTER, access: publish|subscribe|all, allow: true|false, user: U, clientId: C}; "
                    + "what no rule allows is denied (for default: allow, end the list with {topic: '#'})");
            Obj a = b.obj("acl", "default", "rules");
            out.aclDefaultAllow(a.choice("default", false, Obj.choices(entry("allow", true), entry("deny", false))));
            List<Node> rules = a.list("rules");
            for (int i = 0; i < rules.size(); i++) {
                oldRule(Obj.of(p, rules.get(i), Messages.index(a.path("rules"), i), a.at("rules"), false,
                        "allow", "deny", "topic", "topics", "user", "clientId"), out);
            }
            return;
        }
        List<Node> items = b.list("acl");
        for (int i = 0; i < items.size(); i++) {
            Obj r = Obj.of(p, items.get(i), Messages.index(b.path("acl"), i), b.at("acl"), false,
                    "user", "clientId", "topic", "access", "allow");
            String topic = r.requiredString("topic", "e.g. topic: sensors/#; %u is the user name, %c the client id");
            List<BrokerConfig.Action> actions = r.choice("access", ACCESS.get("all"), ACCESS);
            rule(r, "topic", r.bool("allow", true), actions, topic, out);
        }
    }

    private void oldRule(Obj r, BrokerConfig.Builder out) {
        if (r.has("allow") == r.has("deny")) {
            p.error(r.location(), r.path(), "needs exactly one of 'allow: ACTIONS' or 'deny: ACTIONS'", "publish, subscribe or all");
            return;
        }
        boolean allow = r.has("allow");
        String key = allow ? "allow" : "deny";
        List<BrokerConfig.Action> actions = new ArrayList<>();
        List<String> names = r.node(key) instanceof Node.ListNode ? r.strings(key) : List.of(r.string(key, ""));
        for (String name : names) {
            List<BrokerConfig.Action> a = ACCESS.get(switch (name) {
                case "pub", "write" -> "publish";
                case "sub", "read" -> "subscribe";
                case "readwrite" -> "all";
                default -> name;
            });
            if (a == null) {
                p.error(r.at(key), r.path(key), name, "is not an action", "use publish, subscribe or all");
                return;
            }
            for (BrokerConfig.Action x : a) if (!actions.contains(x)) actions.add(x);
        }
        List<String> topics = new ArrayList<>();
        if (r.has("topic")) topics.add(r.string("topic", ""));
        topics.addAll(r.strings("topics"));
        if (topics.isEmpty()) r.missing("topic", "topic: FILTER (or topics: [..]); %u is the user name, %c the client id");
        for (String t : topics) rule(r, r.has("topic") ? "topic" : "topics", allow, actions, t, out);
    }

    private void rule(Obj r, String topicKey, boolean allow, List<BrokerConfig.Action> actions, String topic,
                      BrokerConfig.Builder out) {
        if (topic == null) return;
        if (!validFilter(r, topicKey, topic)) return;
        try {
            out.aclRule(new BrokerConfig.AclRule(allow, actions, emptyToNull(r.string("user", null)),
                    emptyToNull(r.string("clientId", null)), topic));
        } catch (IllegalArgumentException e) {
            p.error(r.at(topicKey), r.path(topicKey), topic, e.getMessage(), null);
        }
    }

    /** An MQTT topic filter: '#' only last, a wildcard fills a whole level. */
    private boolean validFilter(Obj r, String key, String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.equals("#") && i != levels.length - 1) {
                p.error(r.at(key), r.path(key), filter, "'#' must be the last level", null);
                return false;
            }
            if (!l.equals("#") && !l.equals("+") && (l.contains("#") || l.contains("+"))) {
                p.error(r.at(key), r.path(key), filter, "a wildcard must fill a whole level (level " + (i + 1) + ")", null);
                return false;
            }
        }
        return true;
    }

    /** {@code queue: {maxPerClient, overflow}}; the former {@code maxQueuedMessages}/{@code queueOverflow} with a warning. */
    private void queue(Obj b, BrokerConfig.Builder out, BrokerConfig d) {
        Obj q = b.obj("queue", "maxPerClient", "overflow");
        long max = d.maxQueuedMessages();
        if (b.has("maxQueuedMessages")) {
            deprecated(b, "maxQueuedMessages");
            max = b.longValue("maxQueuedMessages", max, 1, Long.MAX_VALUE);
        }
        out.maxQueuedMessages(q.longValue("maxPerClient", max, 1, Long.MAX_VALUE));
        BrokerConfig.QueueOverflow overflow = d.queueOverflow();
        if (b.has("queueOverflow")) {
            deprecated(b, "queueOverflow");
            overflow = overflow(b, "queueOverflow", overflow);
        }
        out.queueOverflow(overflow(q, "overflow", overflow));
    }

    private BrokerConfig.QueueOverflow overflow(Obj o, String key, BrokerConfig.QueueOverflow def) {
        String text = o.string(key, null);
        if (text == null) return def;
        // the gateway's former values: 'drop' is what the broker did; it never blocked a publisher
        if (text.equals("drop") || text.equals("discard") || text.equals("block")) {
            p.warn(o.at(key), o.path(key), "'" + text + "' is deprecated: write discardNew (the broker drops the new "
                    + "message for a client whose queue is full; it cannot hold back the publisher)");
            return BrokerConfig.QueueOverflow.DISCARD_NEW;
        }
        return o.choice(key, def, OVERFLOW);
    }

    private Duration wholeSeconds(Obj o, String key, Duration def, long minSeconds, long maxSeconds) {
        Duration v = o.duration(key, def);
        if (v.toMillis() % 1000 != 0) {
            p.error(o.at(key), o.path(key), "must be whole seconds, got " + io.routemq.core.config.Values.formatDuration(v),
                    "MQTT counts it in seconds");
            return def;
        }
        if (v.toSeconds() < minSeconds || v.toSeconds() > maxSeconds) {
            p.error(o.at(key), o.path(key), "must be " + (minSeconds > 0 ? "from " + minSeconds + "s " : "")
                    + "at most " + io.routemq.core.config.Values.formatDuration(Duration.ofSeconds(maxSeconds))
                    + ", got " + io.routemq.core.config.Values.formatDuration(v), null);
            return def;
        }
        return v;
    }

    /** Whether the address is this machine only. */
    static boolean isLoopback(String bind) {
        return bind.equals("localhost") || bind.startsWith("127.") || bind.equals("::1") || bind.equals("[::1]");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
