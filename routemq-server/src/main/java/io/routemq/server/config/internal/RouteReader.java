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
import io.routemq.server.config.EmbeddedBrokerConfig;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.LoggingConfig;
import io.routemq.server.config.MiddlewareConfig;
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

/** Reads {@code routes:}: topics, brokers, shared subscriptions, filters, middleware and sinks of each route. */
final class RouteReader {
    private final Problems p;
    private final EnvOverrides env;
    private final Set<String> declaredBrokers;
    private final Set<String> declaredSinks;
    private final boolean redisConfigured;

    /** @param redisConfigured whether the config has a {@code redis:} section (the middleware's {@code store: redis} needs one) */
    RouteReader(Problems p, EnvOverrides env, Set<String> declaredBrokers, Set<String> declaredSinks, boolean redisConfigured) {
        this.p = p;
        this.env = env;
        this.declaredBrokers = declaredBrokers;
        this.declaredSinks = declaredSinks;
        this.redisConfigured = redisConfigured;
    }

    private static final Map<String, RouteConfig.Op> OPS;

    static {
        LinkedHashMap<String, RouteConfig.Op> m = new LinkedHashMap<>();
        for (RouteConfig.Op op : RouteConfig.Op.values()) m.put(op.key(), op);
        OPS = m;
    }

    List<RouteConfig> routes(Obj top, GatewayConfig partial, Map<String, SinkConfig> sinks) {
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
            Obj r = Obj.of(p, item, path, n.location(), false, RouteMqReader.ROUTE);
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
        List<MiddlewareConfig> middleware = middleware(r, pattern, name, sinks.keySet());
        List<String> to = to(r, sinks);
        boolean fanout = r.bool("fanout", false);
        boolean enabled = r.bool("enabled", true);
        if (topic == null || pattern == null || broker == null) return null;
        return new RouteConfig(name, topic, broker, qos, shared, exclude, excludeRegex, filters, middleware, to, fanout, enabled);
    }

    /** {@code middleware:}: a list of one-key objects, each naming a shipped middleware and holding its options. */
    private List<MiddlewareConfig> middleware(Obj r, TopicPattern pattern, String route, java.util.Set<String> sinks) {
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
            if (!RouteMqReader.MIDDLEWARE.contains(kind)) {
                p.error(e.keyLocation(), at, "unknown middleware '" + Messages.shorten(kind) + "'", Suggest.hint(kind, RouteMqReader.MIDDLEWARE, "shipped middleware"));
                continue;
            }
            if (!kind.equals("filter")) {
                MiddlewareConfig shipped = new MiddlewareReader(p, redisConfigured).read(kind, e, at, route, pattern, sinks);
                if (shipped != null) out.add(shipped);
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

}
