package io.routemq.server.config.internal;

import io.routemq.config.Node;
import io.routemq.config.Problems;
import io.routemq.config.Checks;

import io.routemq.server.config.AdminConfig;
import io.routemq.mqtt.SessionConfig;
import io.routemq.config.ConfigError;
import io.routemq.server.config.GatewayConfig;
import io.routemq.queue.QueueConfig;
import io.routemq.server.config.RouteConfig;
import io.routemq.server.config.Secret;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment overrides of the Python RouteMQ: {@code MQTT_BROKER}, {@code MQTT_PORT}, {@code MQTT_USERNAME},
 * {@code MQTT_PASSWORD} and {@code MQTT_CLIENT_ID} override the default broker; {@code MQTT_GROUP_NAME} and
 * {@code WORKER_COUNT} override the group and worker count of every shared route; RouteMQ's own
 * {@code ROUTEMQ_ADMIN_PORT} and {@code ROUTEMQ_QUEUE_DIR} override {@code admin.port} and {@code queue.dir} (in any
 * format: the Go middleware's JSON has no key for them). The environment wins over the file. An empty variable counts as unset. docs/config.md states the exact rules.
 */
public final class EnvOverrides {

    /** The share group of a shared route that names none. */
    public static final String DEFAULT_GROUP = "routemq";
    /** The name of the broker created from MQTT_BROKER/MQTT_PORT when the file has no brokers. */
    public static final String DEFAULT_BROKER = "default";

    /** Every variable this class reads, in the order they are documented. */
    public static final List<String> VARIABLES = List.of("MQTT_BROKER", "MQTT_PORT", "MQTT_USERNAME", "MQTT_PASSWORD",
            "MQTT_CLIENT_ID", "MQTT_GROUP_NAME", "WORKER_COUNT", "MQTT_RETRY_MIN_DELAY", "MQTT_RETRY_MAX_DELAY", "MQTT_RETRY_MULTIPLIER",
            "MQTT_RETRY_JITTER", "ROUTEMQ_ADMIN_PORT", "ROUTEMQ_QUEUE_DIR");

    /** The reconnect variables of the Python RouteMQ, read by the MQTT module's ReconnectPolicy. */
    private static final List<String> RETRY_VARIABLES = List.of("MQTT_RETRY_MIN_DELAY", "MQTT_RETRY_MAX_DELAY", "MQTT_RETRY_MULTIPLIER",
            "MQTT_RETRY_JITTER");

    private final Map<String, String> env;
    private final Problems p;
    private final List<String> applied = new ArrayList<>();
    private String group;
    private Integer workers;
    private boolean routeVariablesChecked;

    /** Creates the overrides from an environment (normally System.getenv()). */
    public EnvOverrides(Map<String, String> env, Problems problems) {
        this.env = env;
        this.p = problems;
    }

    private String get(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** What was overridden, one line each, for {@code routemq check}; secrets are not shown. */
    public List<String> applied() {
        return List.copyOf(applied);
    }

    /**
     * Applies MQTT_BROKER, MQTT_PORT, MQTT_USERNAME, MQTT_PASSWORD and MQTT_CLIENT_ID to the default broker, then the
     * {@code MQTT_RETRY_*} reconnect variables ({@link io.routemq.mqtt.ReconnectPolicy#fromEnvironment}).
     */
    public void applyToBrokers(LinkedHashMap<String, SessionConfig> brokers, Node.Location brokersAt) {
        applyConnection(brokers, brokersAt);
        applyReconnect(brokers);
    }

    /**
     * Applies {@code MQTT_RETRY_MIN_DELAY}, {@code MQTT_RETRY_MAX_DELAY} (seconds), {@code MQTT_RETRY_MULTIPLIER} and
     * {@code MQTT_RETRY_JITTER} to the default broker's reconnect backoff; the ones not set keep the config's values.
     */
    private void applyReconnect(LinkedHashMap<String, SessionConfig> brokers) {
        List<String> set = RETRY_VARIABLES.stream().filter(v -> get(v) != null).toList();
        if (set.isEmpty() || brokers.isEmpty()) return; // the embedded broker's own session is on loopback
        SessionConfig target = brokers.containsKey(DEFAULT_BROKER) ? brokers.get(DEFAULT_BROKER)
                : brokers.size() == 1 ? brokers.values().iterator().next() : null;
        if (target == null) {
            for (String v : set) {
                p.envError(v, null, "cannot tell which broker to apply it to: there are " + brokers.size()
                        + " brokers and none is named 'default'", "name one of them 'default' (" + String.join(", ", brokers.keySet())
                        + "), or unset " + v);
            }
            return;
        }
        io.routemq.mqtt.ReconnectPolicy r = target.reconnect();
        Map<String, String> values = new java.util.HashMap<>(Map.of(
                io.routemq.mqtt.ReconnectPolicy.ENV_MIN_DELAY, String.valueOf(r.initialDelay().toNanos() / 1e9),
                io.routemq.mqtt.ReconnectPolicy.ENV_MAX_DELAY, String.valueOf(r.maxDelay().toNanos() / 1e9),
                io.routemq.mqtt.ReconnectPolicy.ENV_MULTIPLIER, String.valueOf(r.multiplier()),
                io.routemq.mqtt.ReconnectPolicy.ENV_JITTER, String.valueOf(r.jitter())));
        for (String v : set) values.put(v, get(v));
        io.routemq.mqtt.ReconnectPolicy policy;
        try {
            policy = io.routemq.mqtt.ReconnectPolicy.fromEnvironment(values);
        } catch (IllegalArgumentException e) {
            String named = set.stream().filter(v -> String.valueOf(e.getMessage()).contains(v)).findFirst().orElse(set.get(0));
            p.envError(named, get(named), e.getMessage(), "set seconds such as 0.5 or 30 for the delays, a multiplier of at least 1 "
                    + "and a jitter fraction such as 0.2");
            return;
        }
        brokers.put(target.name(), new SessionConfig(target.name(), target.url(), target.clientId(), target.username(), target.password(),
                target.keepAlive(), target.cleanStart(), target.sessionExpiry(), target.protocolVersion(), target.receiveMaximum(),
                target.maxInFlight(), target.tls(), policy, target.connectTimeout(), target.sharePrefix()));
        for (String v : set) applied.add("brokers." + target.name() + " reconnect from " + v);
    }

    private void applyConnection(LinkedHashMap<String, SessionConfig> brokers, Node.Location brokersAt) {
        String host = get("MQTT_BROKER");
        String port = get("MQTT_PORT");
        String user = get("MQTT_USERNAME");
        String password = get("MQTT_PASSWORD");
        String clientId = get("MQTT_CLIENT_ID");
        if (host == null && port == null && user == null && password == null && clientId == null) return;
        List<String> set = new ArrayList<>();
        for (String v : List.of("MQTT_BROKER", "MQTT_PORT", "MQTT_USERNAME", "MQTT_PASSWORD", "MQTT_CLIENT_ID")) if (get(v) != null) set.add(v);

        SessionConfig target;
        if (brokers.isEmpty()) {
            if (host == null && port == null) {
                p.warn(brokersAt, "", String.join(", ", set) + " ignored: no brokers are configured (the embedded broker is used); "
                        + "set MQTT_BROKER too to connect to an external broker");
                return;
            }
            target = defaultBroker();
            applied.add("brokers." + DEFAULT_BROKER + " created from " + (host != null ? "MQTT_BROKER" : "MQTT_PORT"));
        } else if (brokers.containsKey(DEFAULT_BROKER)) {
            target = brokers.get(DEFAULT_BROKER);
        } else if (brokers.size() == 1) {
            target = brokers.values().iterator().next();
        } else {
            for (String v : set) {
                p.envError(v, null, "cannot tell which broker to apply it to: there are " + brokers.size()
                        + " brokers and none is named 'default'", "name one of them 'default' (" + String.join(", ", brokers.keySet())
                        + "), or unset " + v);
            }
            return;
        }
        MqttUrl at = MqttUrl.of(target);
        MqttUrl.Transport transport = at.transport();
        String h = at.host();
        int prt = at.port();
        String path = at.path();
        if (host != null) {
            if (host.contains("://")) {
                Problems scratch = new Problems(Problems.ENVIRONMENT);
                MqttUrl url = MqttUrl.parse(scratch, Node.Location.NONE, "MQTT_BROKER", host);
                if (url == null) {
                    ConfigError e = scratch.errors().get(0);
                    p.envError("MQTT_BROKER", io.routemq.core.sink.Redaction.url(host), e.problem(), e.hint());
                } else {
                    transport = url.transport();
                    h = url.host();
                    prt = url.port();
                    path = url.path();
                }
            } else if (host.contains("/") || host.isBlank()) {
                p.envError("MQTT_BROKER", io.routemq.core.sink.Redaction.url(host), "not a host name", "write a host such as broker.example.com, or a url such as mqtts://host:8883");
            } else {
                h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            }
            applied.add("brokers." + target.name() + " host from MQTT_BROKER");
        }
        if (port != null) {
            Integer n = parse(port);
            if (n == null || n < 1 || n > 65535) {
                p.envError("MQTT_PORT", port, "not a port number", "set a number from 1 to 65535");
            } else {
                prt = n;
                applied.add("brokers." + target.name() + " port from MQTT_PORT");
            }
        }
        String u = target.username();
        String pw = target.password();
        String cid = target.clientId();
        if (user != null) {
            u = user;
            applied.add("brokers." + target.name() + " username from MQTT_USERNAME");
        }
        if (password != null) {
            pw = password;
            applied.add("brokers." + target.name() + " password from MQTT_PASSWORD");
        }
        if (clientId != null) {
            cid = clientId;
            applied.add("brokers." + target.name() + " clientId from MQTT_CLIENT_ID");
        }
        String url = new MqttUrl(transport, h, prt, path).url();
        try {
            SessionConfig b = new SessionConfig(target.name(), url, cid, u, pw, target.keepAlive(), target.cleanStart(),
                    target.sessionExpiry(), target.protocolVersion(), target.receiveMaximum(), target.maxInFlight(), target.tls(),
                    target.reconnect(), target.connectTimeout(), target.sharePrefix());
            brokers.put(b.name(), b);
        } catch (IllegalArgumentException e) {
            p.envError(set.get(0), null, String.valueOf(e.getMessage()), null);
        }
    }

    private static SessionConfig defaultBroker() {
        return SessionConfig.builder(DEFAULT_BROKER, "mqtt://localhost:1883").clientId("routemq-" + DEFAULT_BROKER)
                .maxInFlight(RouteMqReader.MAX_IN_FLIGHT).build();
    }

    private static Integer parse(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Checks MQTT_GROUP_NAME and WORKER_COUNT once and remembers the valid ones. */
    public void validateRouteVariables() {
        if (routeVariablesChecked) return;
        routeVariablesChecked = true;
        String g = get("MQTT_GROUP_NAME");
        if (g != null) {
            if (Checks.group(g)) group = g;
            else p.envError("MQTT_GROUP_NAME", g, "not a valid share group", "use a non-empty name without '/', '+' or '#'");
        }
        String w = get("WORKER_COUNT");
        if (w != null) {
            Integer n = parse(w);
            if (n == null || n < 1 || n > 1024) p.envError("WORKER_COUNT", w, "not a worker count", "set a number from 1 to 1024");
            else workers = n;
        }
    }

    /** Applies MQTT_GROUP_NAME and WORKER_COUNT to a shared route's settings (null stays null: not shared). */
    public RouteConfig.Shared shared(RouteConfig.Shared s) {
        validateRouteVariables();
        if (s == null) return null;
        return new RouteConfig.Shared(group != null ? group : s.group(), workers != null ? workers : s.workers());
    }

    /** Whether any of the route variables is in effect. */
    public boolean routeOverrides() {
        validateRouteVariables();
        return group != null || workers != null;
    }

    /** Notes that shared routes were changed, for {@code routemq check}. */
    public void noteRoutes(GatewayConfig config) {
        if (!routeOverrides()) return;
        long shared = config.routes().stream().filter(r -> r.shared() != null).count();
        if (group != null) applied.add("shared group of " + shared + " shared route(s) from MQTT_GROUP_NAME");
        if (workers != null) applied.add("workers of " + shared + " shared route(s) from WORKER_COUNT");
    }

    /** Applies ROUTEMQ_ADMIN_PORT and ROUTEMQ_QUEUE_DIR; returns the config unchanged when neither is set or valid. */
    public GatewayConfig applyToRuntime(GatewayConfig c) {
        AdminConfig admin = c.admin();
        QueueConfig queue = c.queue();
        String port = get("ROUTEMQ_ADMIN_PORT");
        if (port != null) {
            Integer n = parse(port);
            if (n == null || n < 0 || n > 65535) {
                p.envError("ROUTEMQ_ADMIN_PORT", port, "not a port number", "set a number from 0 to 65535; 0 picks a free port");
            } else {
                admin = new AdminConfig(admin.enabled(), admin.bind(), n);
                applied.add("admin.port " + n + " from ROUTEMQ_ADMIN_PORT" + (admin.enabled() ? "" : " (admin.enabled is false: no effect)"));
            }
        }
        String dir = get("ROUTEMQ_QUEUE_DIR");
        if (dir != null) {
            try {
                queue = queue.toBuilder().dir(Path.of(dir)).build();
                applied.add("queue.dir " + dir + " from ROUTEMQ_QUEUE_DIR");
            } catch (InvalidPathException e) {
                p.envError("ROUTEMQ_QUEUE_DIR", dir, "not a valid directory path: " + e.getReason(), "set a directory such as ./data/queue-2");
            }
        }
        if (admin == c.admin() && queue == c.queue()) return c;
        return c.withQueueAndAdmin(queue, admin);
    }
}
