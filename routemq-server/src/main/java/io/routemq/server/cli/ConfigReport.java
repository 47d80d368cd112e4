package io.routemq.server.cli;

import io.routemq.core.Match;
import io.routemq.core.RouteTable;
import io.routemq.core.Subscription;
import io.routemq.core.sink.Redaction;
import io.routemq.mqtt.ProtocolVersion;
import io.routemq.mqtt.SessionConfig;
import io.routemq.server.config.GatewayConfig;
import io.routemq.sink.http.HttpSinkConfig;
import io.routemq.server.config.LoadedConfig;
import io.routemq.server.config.MiddlewareConfig;
import io.routemq.server.config.RouteConfig;
import io.routemq.server.config.RoutePlan;
import io.routemq.server.config.SinkConfig;
import io.routemq.core.config.Values;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Prints a loaded config for {@code check} and {@code routes}; every URL through {@link Redaction}. */
final class ConfigReport {

    private final PrintWriter out;

    ConfigReport(PrintWriter out) {
        this.out = out;
    }

    /** Everything: format, warnings, overrides, brokers, routes, sinks, subscriptions. */
    void full(LoadedConfig loaded) {
        GatewayConfig c = loaded.config();
        out.println(loaded.source() + ": OK (" + (loaded.dialect() == LoadedConfig.Dialect.GO_MIDDLEWARE
                ? "the Go middleware's format" : "RouteMQ format") + ", " + loaded.syntax() + ")");
        for (String w : loaded.warnings()) out.println("warning: " + w);
        for (String o : loaded.overrides()) out.println("environment: " + o);
        out.println();
        brokers(c);
        out.println();
        routes(c);
        out.println();
        sinks(c);
        out.println();
        subscriptions(c);
    }

    void brokers(GatewayConfig c) {
        out.println("Brokers");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"NAME", "URL", "CLIENT ID", "MQTT", "KEEPALIVE", "SESSION"});
        for (SessionConfig b : c.brokers().values()) {
            String session = b.cleanStart() ? "clean start" : "resumed";
            if (!b.sessionExpiry().isZero()) session += ", expiry " + Values.formatDuration(b.sessionExpiry());
            rows.add(new String[]{b.name(), Redaction.url(b.url()), b.clientId() + (b.username() != null ? " (user " + b.username() + ")" : ""),
                    b.protocolVersion() == ProtocolVersion.MQTT_3_1_1 ? "3.1.1" : "5", Values.formatDuration(b.keepAlive()), session});
        }
        if (c.embeddedBrokerEnabled()) {
            io.routemq.broker.BrokerConfig e = c.broker().config();
            String extras = (e.allowAnonymous() ? "anonymous allowed" : e.users().size() + " user(s)")
                    + (e.wsEnabled() ? ", ws :" + e.wsPort() + e.wsPath() : "")
                    + (e.persistence() == io.routemq.broker.BrokerConfig.Persistence.MEMORY ? ", in memory" : ", data " + e.dataDir());
            rows.add(new String[]{GatewayConfig.EMBEDDED, "mqtt://" + e.bindAddress() + ":" + e.port(), "(embedded broker)", "5", "-", extras});
        }
        if (rows.size() == 1) out.println("  (none)");
        else table(rows);
    }

    void routes(GatewayConfig c) {
        out.println("Routes");
        if (c.routes().isEmpty()) {
            out.println("  (none)");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"NAME", "BROKER", "TOPIC", "QOS", "SHARED", "TO", ""});
        List<List<String>> details = new ArrayList<>();
        for (RouteConfig r : c.routes()) {
            rows.add(new String[]{r.name(), r.broker(), r.topic(), String.valueOf(r.qos()),
                    r.shared() == null ? "-" : r.shared().group() + " x" + r.shared().workers(), String.join(", ", r.to()),
                    (r.fanout() ? "fanout" : "") + (r.enabled() ? "" : (r.fanout() ? " " : "") + "DISABLED")});
            List<String> d = new ArrayList<>();
            if (!r.exclude().isEmpty()) d.add("exclude " + String.join(", ", r.exclude()));
            if (!r.excludeRegex().isEmpty()) d.add("excludeRegex " + String.join(", ", r.excludeRegex()));
            for (RouteConfig.Filter f : r.filters()) d.add("filter " + f.field() + " " + f.op().key() + " " + value(f.value()));
            for (MiddlewareConfig m : r.middleware()) d.add("middleware " + middleware(m));
            d.add(r.nonBlocking() ? "runs on the thread that received the message (no middleware that may block)"
                    : "runs on a lane thread per topic: " + String.join(", ", r.middleware().stream().filter(m -> !m.nonBlocking())
                    .map(m -> m.name()).toList()) + " may block");
            details.add(d);
        }
        List<String> lines = format(rows);
        out.println("  " + lines.get(0).stripTrailing());
        for (int i = 1; i < lines.size(); i++) {
            out.println("  " + lines.get(i).stripTrailing());
            for (String d : details.get(i - 1)) out.println("      " + d);
        }
    }

    /** One line per shipped middleware; never a token or a secret. */
    private static String middleware(MiddlewareConfig m) {
        return switch (m) {
            case MiddlewareConfig.Filter f -> "filter " + String.join(" and ", f.conditions().stream()
                    .map(c -> c.field() + " " + c.op().key() + " " + value(c.value())).toList());
            case MiddlewareConfig.RateLimit r -> {
                var o = r.options();
                String rate = o.limit() + "/" + Values.formatDuration(o.period());
                yield "rateLimit " + o.algorithm().key() + " " + rate
                        + (o.algorithm() == io.routemq.middleware.RateLimitConfig.Algorithm.TOKEN_BUCKET ? " burst " + o.burst() : "")
                        + " per " + o.key() + ", " + o.onLimit().name().toLowerCase(Locale.ROOT) + ", " + o.store().name().toLowerCase(Locale.ROOT);
            }
            case MiddlewareConfig.Auth a -> "auth " + (a.options().hmac() ? "HMAC-SHA256 signature (" + a.options().encoding().name()
                    .toLowerCase(Locale.ROOT) + ")" : a.options().tokens().size() + " token(s)") + " in user property " + a.options().property();
            case MiddlewareConfig.Validate v -> "validate " + (v.options().schemaFile() != null ? v.options().schemaFile() : "schema")
                    + ", invalid " + (v.options().deadLetter() != null ? "to sink " + v.options().deadLetter() : "dropped");
            case MiddlewareConfig.Dedup d -> "dedup by " + (d.options().userProperty() != null ? "userProperty." + d.options().userProperty()
                    : "payload") + " for " + Values.formatDuration(d.options().ttl()) + ", " + d.options().store().name().toLowerCase(Locale.ROOT);
            case MiddlewareConfig.Log l -> "log " + l.options().level().name().toLowerCase(Locale.ROOT) + ", sample " + l.options().sample()
                    + (l.options().payload() ? ", with payloads" : "");
        };
    }

    private static String value(Object v) {
        if (v instanceof java.math.BigDecimal d) return d.toPlainString();
        if (v instanceof List<?> l) {
            List<String> s = new ArrayList<>();
            for (Object o : l) s.add(value(o));
            return "[" + String.join(", ", s) + "]";
        }
        if (v instanceof String s) return "'" + s + "'";
        return String.valueOf(v);
    }

    void sinks(GatewayConfig c) {
        out.println("Sinks");
        if (c.sinks().isEmpty()) {
            out.println("  (none)");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"NAME", "TYPE", "MODE", "BODY", "RETRY", "URLS"});
        for (SinkConfig s : c.sinks().values()) {
            SinkConfig.Retry r = s.retry();
            String retry = (r.attempts() == 0 ? "unlimited" : r.attempts() + " attempt" + (r.attempts() == 1 ? "" : "s")) + ", "
                    + (r.backoffMin().equals(r.backoffMax()) ? Values.formatDuration(r.backoffMin())
                    : Values.formatDuration(r.backoffMin()) + ".." + Values.formatDuration(r.backoffMax()))
                    + (r.maxAge().isZero() ? "" : ", max age " + Values.formatDuration(r.maxAge()));
            switch (s.type()) {
                case SinkConfig.Http http -> {
                    HttpSinkConfig h = http.config();
                    List<String> urls = new ArrayList<>();
                    h.urls().forEach(u -> urls.add(Redaction.url(u)));
                    rows.add(new String[]{s.name(), "http " + h.method(), h.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                            h.body().name().toLowerCase(Locale.ROOT), retry, String.join(", ", urls)});
                }
                case SinkConfig.Discard d -> rows.add(new String[]{s.name(), "discard", "-", "-", retry, "-"});
            }
        }
        table(rows);
    }

    void subscriptions(GatewayConfig c) {
        out.println("Subscriptions");
        Map<String, List<Subscription>> subs = RoutePlan.subscriptions(c);
        if (subs.isEmpty()) {
            out.println("  (none)");
            return;
        }
        subs.forEach((session, list) -> {
            SessionConfig b = c.brokers().get(session);
            String prefix = b == null ? Subscription.DEFAULT_SHARE_PREFIX : b.sharePrefix();
            out.println("  " + session + ":");
            for (Subscription s : list) {
                out.println("    " + s.topicFilter(prefix) + "  qos " + s.qos() + (s.workers() > 1 ? "  x" + s.workers() + " connections" : ""));
            }
        });
    }

    /** Where a message on a topic goes. */
    void trace(GatewayConfig c, String topic, String onlyBroker) {
        if (!traceMatches(c, topic, onlyBroker)) out.println("no route receives '" + topic + "'" + (onlyBroker == null ? "" : " on " + onlyBroker));
    }

    /** Prints the config routes a topic goes to; returns whether there was any. */
    boolean traceMatches(GatewayConfig c, String topic, String onlyBroker) {
        Map<String, RouteTable> tables = RoutePlan.tables(c);
        Map<String, RouteConfig> byName = new java.util.HashMap<>();
        for (RouteConfig r : c.routes()) byName.put(r.name(), r);
        boolean any = false;
        for (Map.Entry<String, RouteTable> e : tables.entrySet()) {
            if (onlyBroker != null && !onlyBroker.equals(e.getKey())) continue;
            for (Match m : e.getValue().resolve(topic)) {
                RouteConfig r = byName.get(m.route().name());
                String regex = null;
                for (String re : r.excludeRegex()) if (Pattern.compile(re).matcher(topic).find()) regex = re;
                any = true;
                if (regex != null) {
                    out.println(e.getKey() + ": route '" + r.name() + "' matches, but excludeRegex '" + regex + "' skips it");
                    continue;
                }
                String params = m.params().isEmpty() ? "" : " " + m.params();
                out.println(e.getKey() + ": route '" + r.name() + "'" + params + " -> " + String.join(", ", r.to())
                        + (r.filters().isEmpty() ? "" : "  (if its " + r.filters().size() + " filter(s) pass)"));
            }
        }
        return any;
    }

    private void table(List<String[]> rows) {
        for (String line : format(rows)) out.println("  " + line.stripTrailing());
    }

    private static List<String> format(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) sb.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            out.add(sb.toString());
        }
        return out;
    }
}
