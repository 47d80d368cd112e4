package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.core.Dispatcher;
import io.routemq.core.RouteTable;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;
import io.routemq.queue.DurableQueue;
import io.routemq.config.ConfigException;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.ModuleConfigs;
import io.routemq.server.config.RoutePlan;
import io.routemq.server.config.SinkConfig;
import io.routemq.sink.http.HttpSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} performs every validation {@code run} performs: 10,000 generated configs, each a complete config
 * with one to three keys replaced by an out-of-range, malformed, mistyped or conflicting value (or removed, or joined
 * by an unknown key). Every config that loads (what {@code routemq check} accepts) must build the gateway's whole
 * runtime object graph, without connecting: each session's config and session, the embedded broker, the queue
 * config, every HTTP sink and its retry policy, the route table and the dispatcher with its sink step.
 */
class CheckBuildsRuntimePropertyTest {
    static final int CASES = 10_000;
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Values that are wrong somewhere: out of range, malformed, of the wrong type, or right for another key. */
    static final Object[] BAD = {-1, 0, 1, 2, 3, 1023, 65535, 65536, 100_000, 2_147_483_648L, 1e300, -0.5, 0.5,
            "", " ", "abc", "-5s", "0s", "1ms", "10x", "5 MB", "0MB", "1KB", "999999999999GB", "1h", "PT5S", "5m", "7d",
            true, false, null, List.of(), Map.of(), List.of("a"), Map.of("k", "v"), "${MISSING_VAR}", "${MISSING_VAR:-3}",
            "http://h/in#frag", "ftp://x/y", "http:///nohost", "mqtt://", "mqtt://127.0.0.1:1", "mqtts://h:8883", "ws://h/mqtt",
            "$share/g/a/#", "a/#/b", "+/+", "#", "a/{id}/b", "a/{id...}", "{x}", "a//b", "fanout", "failover", "round-robin",
            "template", "envelope", "raw", "go", "POST", "GET", "always", "interval", "never", "block", "dead-letter", "drop",
            "3.1.1", "5", "debug", "json", "0.0.0.0", "::1", "999.1.1.1", "not an address!", "ingest", "nope", "embedded",
            "routemq", "a/b", "Authorization", "1..2", "500ms..1m", "1m..1s", "10/s"};

    @Test
    void theBaseConfigLoadsAndBuilds(@TempDir Path tmp) throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).parse(JSON.writeValueAsString(base(tmp)), "base.json").config();
        buildRuntime(c);
    }

    @Test
    void everyConfigThatCheckAcceptsBuildsTheRuntime(@TempDir Path tmp) throws Exception {
        Random random = new Random(20261207L);
        int accepted = 0;
        int rejected = 0;
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < CASES; n++) {
            Map<String, Object> config = base(tmp);
            List<List<Object>> leaves = new ArrayList<>();
            collect(config, new ArrayList<>(), leaves);
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) mutate(config, leaves.get(random.nextInt(leaves.size())), random, scalars(config));
            String text = JSON.writeValueAsString(config);
            GatewayConfig loaded;
            try {
                loaded = new ConfigLoader(Map.of("HOME", tmp.toString())).parse(text, "gen-" + n + ".json").config();
            } catch (ConfigException e) {
                rejected++;
                assertThat(e.errors()).as("a refused config names at least one error").isNotEmpty();
                continue;
            }
            accepted++;
            try {
                buildRuntime(loaded);
            } catch (RuntimeException | Error e) {
                if (failures.size() < 10) failures.add(e + "\n    config: " + text);
            }
        }
        GatewayTestSupport.report("check-builds-runtime", CASES + " generated configs: " + accepted + " accepted (each built the runtime), "
                + rejected + " refused with located errors, " + failures.size() + " accepted but failed to build");
        assertThat(failures).as("configs that check accepts but run would refuse").isEmpty();
        // Both sides are exercised: the generator must produce configs of each kind.
        assertThat(accepted).isGreaterThan(CASES / 10);
        assertThat(rejected).isGreaterThan(CASES / 10);
    }

    /** What the gateway builds before it connects or listens, from the same mappings it starts with. */
    static void buildRuntime(GatewayConfig config) {
        SessionManager sessions = new SessionManager(config.brokers().isEmpty() ? GatewayConfig.EMBEDDED : config.brokers().keySet().iterator().next());
        try {
            for (var b : config.brokers().values()) sessions.add(b);
            if (config.embeddedBrokerEnabled()) {
                EmbeddedBroker broker = EmbeddedBroker.create(ModuleConfigs.broker(config.broker(), "generated-password", -1));
                broker.close();
                sessions.add(SessionConfig.builder(GatewayConfig.EMBEDDED, "mqtt://127.0.0.1:1883").clientId("routemq-gateway").build());
            }
            config.queue();
            Map<String, List<DurableQueue>> queues = new LinkedHashMap<>();
            for (SinkConfig sc : config.sinks().values()) {
                for (HttpSink sink : HttpSink.forConfig(sc.http())) {
                    ModuleConfigs.queueName(sink.name());
                    sink.close();
                }
                if (sc.queue() != SinkConfig.Queue.DEFAULT) ModuleConfigs.overflow(sc.queue().overflow());
                Gateway.retry(sc.retry());
                queues.put(sc.name(), List.of());
            }
            RouteTable table = RoutePlan.router(config, r -> RouteFilters.middleware(r, JSON)).build();
            Dispatcher.builder(table).sinks(new QueueAppender(queues)).defaultSession(sessions.defaultSession()).build().close();
        } finally {
            sessions.close();
        }
    }

    /** A complete, valid config that sets every key. */
    static Map<String, Object> base(Path tmp) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("brokers", map("plant", map(
                "url", "mqtt://127.0.0.1:1883", "clientId", "gw-gen", "username", "u", "password", "p", "keepAlive", "30s",
                "cleanStart", false, "sessionExpiry", "1h", "protocol", "5", "receiveMaximum", 65535, "maxInFlight", 1024,
                "sharePrefix", "$share", "reconnect", map("initialDelay", "1s", "maxDelay", "30s", "multiplier", 2.0, "jitter", 0.2))));
        c.put("broker", map("enabled", true, "bind", "127.0.0.1", "port", 18830, "wsPort", 0, "wsPath", "/mqtt",
                "dataDir", tmp.resolve("broker").toString(), "inMemory", true, "allowAnonymous", false,
                "users", List.of(map("username", "dev", "password", "secret")),
                "acl", List.of(map("allow", true, "user", "dev", "access", "all", "topic", "plant/#")),
                "maxKeepAlive", "60s", "maxPacketSize", "256KB", "maxSessionExpiry", "1d", "queue", map("maxPerClient", 1000)));
        c.put("routes", List.of(
                map("name", "telemetry", "topic", "plant/{line}/machine/{id}/telemetry", "broker", "plant", "qos", 1,
                        "shared", map("group", "gw", "workers", 2), "exclude", List.of("plant/test/#"),
                        "excludeRegex", List.of("^plant/x/"), "filters", List.of(map("field", "payload.temp", "gt", 30)),
                        "middleware", List.of(map("filter", map("field", "param.line", "in", List.of("a", "b")))),
                        "to", List.of("ingest", "archive"), "fanout", false, "enabled", true),
                map("topic", "local/{id}", "broker", "embedded", "qos", 0, "to", List.of("archive"))));
        c.put("sinks", map(
                "ingest", map("http", map("urls", List.of("http://127.0.0.1:18081/in", "http://127.0.0.1:18082/in"),
                                "mode", "failover", "method", "POST", "headers", map("X-Source", "routemq"),
                                "auth", map("bearer", "token"), "body", "envelope",
                                "timeout", map("connect", "2s", "request", "10s"), "maxInFlight", 32,
                                "circuitBreaker", map("failures", 5, "openFor", "30s"), "batch", map("size", 100, "linger", "200ms"),
                                "retryOn", List.of(409)),
                        "retry", map("attempts", 8, "backoff", "500ms..1m", "maxAge", "1d"),
                        "queue", map("maxBytes", "64MB", "overflow", "dead-letter")),
                "archive", map("http", map("urls", List.of("http://127.0.0.1:18083/ar"), "mode", "fanout", "body", "template",
                        "template", "{\"t\": \"${topic}\"}"))));
        c.put("queue", map("dir", tmp.resolve("queue").toString(), "fsync", "interval", "fsyncInterval", "10ms",
                "segmentSize", "16MB", "maxBytes", "1GB", "overflow", "block"));
        c.put("admin", map("enabled", true, "bind", "127.0.0.1", "port", 0));
        c.put("logging", map("level", "info", "format", "console"));
        c.put("shutdown", map("timeout", "30s"));
        return c;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** Every key path (a list of map keys and list indexes) of the tree, inner ones included. */
    @SuppressWarnings("unchecked")
    static void collect(Object node, List<Object> path, List<List<Object>> out) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : ((Map<String, Object>) m).entrySet()) {
                List<Object> p = new ArrayList<>(path);
                p.add(e.getKey());
                out.add(p);
                collect(e.getValue(), p, out);
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                List<Object> p = new ArrayList<>(path);
                p.add(i);
                out.add(p);
                collect(l.get(i), p, out);
            }
        }
    }

    /** Every scalar value of the tree: values that are valid somewhere, to move to where they may not be. */
    static List<Object> scalars(Object node) {
        List<Object> out = new ArrayList<>();
        if (node instanceof Map<?, ?> m) for (Object v : m.values()) out.addAll(scalars(v));
        else if (node instanceof List<?> l) for (Object v : l) out.addAll(scalars(v));
        else if (node != null) out.add(node);
        return out;
    }

    /**
     * Replaces (mostly), removes, or adds a sibling unknown key at one path; a path that no longer exists is skipped.
     * Half of the replacements are a bad value, half a value of the same kind taken from elsewhere in the config
     * (a number for a number, a string for a string), which is often valid: so both outcomes stay frequent.
     */
    @SuppressWarnings("unchecked")
    static void mutate(Map<String, Object> root, List<Object> path, Random random, List<Object> elsewhere) {
        Object parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object k = path.get(i);
            if (parent instanceof Map<?, ?> m && k instanceof String s && m.get(s) != null) parent = m.get(s);
            else if (parent instanceof List<?> l && k instanceof Integer idx && idx < l.size() && l.get(idx) != null) parent = l.get(idx);
            else return;
            if (parent instanceof List<?> l && !(parent instanceof ArrayList<?>)) {
                // copy immutable lists so that they can be changed
                List<Object> copy = new ArrayList<>(l);
                setChild(root, path.subList(0, i + 1), copy);
                parent = copy;
            }
        }
        Object last = path.get(path.size() - 1);
        int what = random.nextInt(20);
        Object value = mutable(BAD[random.nextInt(BAD.length)]);
        Object current = parent instanceof Map<?, ?> m ? m.get(last) : parent instanceof List<?> l && last instanceof Integer i && i < l.size() ? l.get(i) : null;
        if (random.nextBoolean() && current != null) {
            List<Object> kin = elsewhere.stream().filter(v -> v.getClass() == current.getClass()).toList();
            if (!kin.isEmpty()) value = kin.get(random.nextInt(kin.size()));
        }
        if (parent instanceof Map<?, ?> m && last instanceof String key) {
            Map<String, Object> map = (Map<String, Object>) m;
            if (what == 0) map.remove(key);
            else if (what == 1) map.put(key + "x", value);
            else map.put(key, value);
        } else if (parent instanceof List<?> l && last instanceof Integer idx && idx < l.size()) {
            ((List<Object>) l).set(idx, value);
        }
    }

    /** A mutable copy of a value from {@link #BAD}, so that a later change can go inside it. */
    static Object mutable(Object v) {
        if (v instanceof Map<?, ?> m) return new LinkedHashMap<>(m);
        if (v instanceof List<?> l) return new ArrayList<>(l);
        return v;
    }

    @SuppressWarnings("unchecked")
    private static void setChild(Map<String, Object> root, List<Object> path, Object value) {
        Object parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object k = path.get(i);
            parent = parent instanceof Map<?, ?> m ? m.get(k) : ((List<Object>) parent).get((Integer) k);
        }
        Object k = path.get(path.size() - 1);
        if (parent instanceof Map<?, ?> m) ((Map<String, Object>) m).put((String) k, value);
        else ((List<Object>) parent).set((Integer) k, value);
    }
}
