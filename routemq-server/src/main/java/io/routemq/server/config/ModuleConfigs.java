package io.routemq.server.config;

import io.routemq.config.Locator;

import io.routemq.broker.BrokerConfig;
import io.routemq.mqtt.ProtocolVersion;
import io.routemq.mqtt.ReconnectPolicy;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.TlsConfig;
import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.OverflowPolicy;
import io.routemq.sink.http.HttpSinkConfig;


import io.routemq.config.Node;
import io.routemq.config.Problems;
import io.routemq.sink.http.HttpSink;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the gateway's config records onto each module's own config record: MQTT sessions, the embedded broker, the
 * durable queue and the HTTP sinks. {@link ConfigLoader} builds every one of them when it loads a file, so a module's
 * own validation runs at load time: {@code routemq check} reports what {@code routemq run} would refuse, at the place
 * in the file, and the gateway starts from the same records.
 */
public final class ModuleConfigs {
    /** The embedded broker's user for the gateway's own session (random password per start). */
    public static final String INTERNAL_USER = "routemq-gateway";
    /** The gateway's client id on the embedded broker; it and its "-N" worker ids are reserved to INTERNAL_USER. */
    public static final String INTERNAL_CLIENT_ID = "routemq-gateway";

    private ModuleConfigs() {
    }

    /**
     * The embedded broker of the {@code broker:} section, with the gateway's internal user.
     *
     * @param portOverride a port instead of the configured one, or -1
     */
    public static BrokerConfig broker(EmbeddedBrokerConfig e, String internalPassword, int portOverride) {
        BrokerConfig.Builder b = e.config().toBuilder().internalClient(INTERNAL_USER, internalPassword, INTERNAL_CLIENT_ID);
        if (portOverride >= 0) b.port(portOverride);
        return b.build();
    }

    /** A sink's queue overflow policy. */
    public static OverflowPolicy overflow(SinkConfig.Overflow overflow) {
        return switch (overflow) {
            case BLOCK -> OverflowPolicy.BLOCK;
            case DEAD_LETTER -> OverflowPolicy.DEAD_LETTER;
        };
    }

    /**
     * Builds every module's config record of a loaded config, as the gateway will when it starts, and reports what
     * a module refuses as an error at the key it names (or at the section, when it names none). The HTTP sinks check
     * what opening them checks (a CA file), without opening them.
     */
    static void check(GatewayConfig c, Node root, Problems p) {
        if (c.embeddedBrokerEnabled()) refused(root, p, "broker", () -> broker(c.broker(), "check", -1));
        for (SinkConfig sc : c.sinks().values()) {
            if (sc.type() instanceof SinkConfig.Http h) refused(root, p, "sinks." + sc.name() + ".http", () -> HttpSink.validate(h.config()));
        }
        refused(root, p, "routes", () -> RoutePlan.router(c, r -> List.of()).build());
    }

    private static void refused(Node root, Problems p, String section, Runnable build) {
        try {
            build.run();
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            // Module messages name their key: absolutely ("sinks.x.http.maxInFlight: ...", "sinks.x.http.headers.A and ...")
            // or within their section ("batch.size: ..."). The error is placed at that key.
            String path = section;
            if (msg.startsWith(section + ".") || msg.startsWith(section + "[")) {
                int end = 0;
                while (end < msg.length() && msg.charAt(end) != ' ' && msg.charAt(end) != ':') end++;
                path = msg.substring(0, end);
                msg = end < msg.length() && msg.charAt(end) == ':' ? msg.substring(end + 1).strip() : msg;
            } else {
                Matcher m = KEYED.matcher(msg);
                if (m.matches()) {
                    path = section + "." + m.group(1);
                    msg = m.group(2);
                }
            }
            p.error(Locator.find(root, path), path, msg, null);
        }
    }

    private static final Pattern KEYED = Pattern.compile("(?s)([A-Za-z][A-Za-z0-9_.\\[\\]-]*): (.+)");

    /**
     * The names of the sinks one {@code sinks.<name>} entry becomes, each with a durable queue of its own: one per URL
     * of a fan-out HTTP sink ({@code name#hash}), else the entry's name.
     */
    public static List<String> sinkNames(SinkConfig sc) {
        return switch (sc.type()) {
            case SinkConfig.Http h -> HttpSink.configsFor(h.config()).stream().map(HttpSinkConfig::name).toList();
            case SinkConfig.Discard d -> List.of(sc.name());
        };
    }

    /** A queue directory name for a sink: the HTTP sink's per-URL names ({@code name#hash}) use '.' instead. */
    public static String queueName(String sinkName) {
        StringBuilder sb = new StringBuilder(sinkName.length());
        for (char c : sinkName.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' ? c : '.');
        }
        return sb.toString();
    }

}
