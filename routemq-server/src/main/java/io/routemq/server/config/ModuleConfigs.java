package io.routemq.server.config;

import io.routemq.sink.http.BodyFormat;
import io.routemq.sink.http.UrlMode;
import io.routemq.broker.BrokerConfig;
import io.routemq.mqtt.ProtocolVersion;
import io.routemq.mqtt.ReconnectPolicy;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.TlsConfig;
import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.OverflowPolicy;
import io.routemq.sink.http.HttpSinkConfig;


import io.routemq.server.config.internal.Node;
import io.routemq.server.config.internal.Problems;
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

    /** The MQTT session of a {@code brokers:} entry. */
    public static SessionConfig session(io.routemq.server.config.BrokerConfig b) {
        SessionConfig.Builder s = SessionConfig.builder(b.name(), b.url())
                .keepAlive(b.keepAlive())
                .protocolVersion(b.protocol() == io.routemq.server.config.BrokerConfig.Protocol.V3_1_1
                        ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_5)
                .receiveMaximum(b.receiveMaximum())
                .maxInFlight(b.maxInFlight())
                .sharePrefix(b.sharePrefix())
                .reconnect(new ReconnectPolicy(b.reconnect().initialDelay(), b.reconnect().maxDelay(),
                        b.reconnect().multiplier(), b.reconnect().jitter()));
        if (b.clientId() != null) s.clientId(b.clientId());
        if (b.username() != null) s.credentials(b.username(), b.password() == null ? null : b.password().value());
        if (b.cleanStart()) s.cleanStart();
        else s.persistentSession(b.sessionExpiry());
        var t = b.tls();
        if (b.tlsEnabled() || t.ca() != null || t.cert() != null || t.insecure()) {
            TlsConfig.Builder tls = TlsConfig.builder();
            if (t.ca() != null) tls.ca(t.ca());
            if (t.cert() != null && t.key() != null) tls.clientCertificate(t.cert(), t.key());
            if (t.insecure()) tls.insecure(true);
            s.tls(tls.build());
        }
        return s.build();
    }

    /**
     * The embedded broker of the {@code broker:} section, with the gateway's internal user.
     *
     * @param portOverride a port instead of the configured one, or -1
     */
    public static BrokerConfig broker(EmbeddedBrokerConfig e, String internalPassword, int portOverride) {
        BrokerConfig.Builder b = BrokerConfig.builder()
                .bindAddress(e.bind())
                .port(portOverride >= 0 ? portOverride : e.port())
                .wsPort(e.wsPort() > 0 ? e.wsPort() : BrokerConfig.DISABLED)
                .wsPath(e.wsPath())
                .maxKeepAlive(e.maxKeepAlive())
                .maxPacketSize(e.maxPacketSize())
                .maxSessionExpiry(e.maxSessionExpiry())
                .maxQueuedMessages(e.queue().maxPerClient())
                .allowAnonymous(e.allowAnonymous());
        if (e.inMemory()) b.inMemory();
        else b.dataDir(e.dataDir());
        if (e.passwordFile() != null) b.passwordFile(e.passwordFile());
        for (EmbeddedBrokerConfig.User u : e.users()) b.user(u.username(), u.password() == null ? "" : u.password().value());
        b.internalClient(INTERNAL_USER, internalPassword, INTERNAL_CLIENT_ID);
        for (EmbeddedBrokerConfig.AclRule r : e.acl()) {
            List<BrokerConfig.Action> actions = switch (r.access()) {
                case PUBLISH -> List.of(BrokerConfig.Action.PUBLISH);
                case SUBSCRIBE -> List.of(BrokerConfig.Action.SUBSCRIBE);
                case ALL -> List.of(BrokerConfig.Action.PUBLISH, BrokerConfig.Action.SUBSCRIBE);
            };
            b.aclRule(new BrokerConfig.AclRule(r.allow(), actions, r.user(), r.clientId(), r.topic()));
        }
        return b.build();
    }

    /** The durable queue of the {@code queue:} section. */
    public static io.routemq.queue.QueueConfig queue(QueueConfig q) {
        FsyncPolicy fsync = switch (q.fsync()) {
            case ALWAYS -> FsyncPolicy.always();
            case INTERVAL -> FsyncPolicy.interval(q.fsyncInterval());
            case NEVER -> FsyncPolicy.never();
        };
        return io.routemq.queue.QueueConfig.builder(q.dir())
                .segmentBytes(q.segmentSize())
                .maxBytes(q.maxBytes() == 0 ? Long.MAX_VALUE : q.maxBytes())
                .overflowPolicy(OverflowPolicy.BLOCK)
                .fsync(fsync)
                .build();
    }

    /** A sink's queue overflow policy. */
    public static OverflowPolicy overflow(SinkConfig.Overflow overflow) {
        return switch (overflow) {
            case BLOCK -> OverflowPolicy.BLOCK;
            case DEAD_LETTER -> OverflowPolicy.DEAD_LETTER;
        };
    }

    /** The HTTP sink of a {@code sinks:} entry. */
    public static HttpSinkConfig http(SinkConfig sink) {
        var h = sink.http();
        HttpSinkConfig.Builder b = HttpSinkConfig.builder(sink.name())
                .urls(h.urls())
                .mode(switch (h.mode()) {
                    case FANOUT -> UrlMode.FANOUT;
                    case ROUND_ROBIN -> UrlMode.ROUND_ROBIN;
                    case FAILOVER -> UrlMode.FAILOVER;
                })
                .method(h.method())
                .headers(h.headers())
                .body(switch (h.body()) {
                    case RAW -> BodyFormat.RAW;
                    case ENVELOPE -> BodyFormat.ENVELOPE;
                    case GO -> BodyFormat.GO;
                    case TEMPLATE -> BodyFormat.TEMPLATE;
                })
                .connectTimeout(h.timeout().connect())
                .requestTimeout(h.timeout().request())
                .maxInFlight(h.maxInFlight())
                .circuitBreaker(h.circuitBreaker().failures(), h.circuitBreaker().openFor());
        if (h.template() != null) b.template(h.template());
        switch (h.auth().kind()) {
            case BEARER -> b.bearer(h.auth().bearer().value());
            case BASIC -> b.basic(h.auth().username(), h.auth().password() == null ? "" : h.auth().password().value());
            case NONE -> { }
        }
        if (h.tls().ca() != null) b.ca(h.tls().ca());
        if (h.tls().insecure()) b.insecure(true);
        if (h.batch().size() > 1) b.batch(h.batch().size(), h.batch().linger());
        if (!h.retryOn().isEmpty()) b.retryOn(h.retryOn().toArray(Integer[]::new));
        return b.build();
    }

    /**
     * Builds every module's config record of a loaded config, as the gateway will when it starts, and reports what
     * a module refuses as an error at the key it names (or at the section, when it names none). The HTTP sinks check
     * what opening them checks (a CA file), without opening them.
     */
    static void check(GatewayConfig c, Node root, Problems p) {
        for (var b : c.brokers().values()) refused(root, p, "brokers." + b.name(), () -> session(b));
        if (c.embeddedBrokerEnabled()) refused(root, p, "broker", () -> broker(c.broker(), "check", -1));
        refused(root, p, "queue", () -> queue(c.queue()));
        for (SinkConfig sc : c.sinks().values()) {
            refused(root, p, "sinks." + sc.name() + ".http", () -> HttpSink.validate(http(sc)));
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

    /** A queue directory name for a sink: the HTTP sink's per-URL names ({@code name#hash}) use '.' instead. */
    public static String queueName(String sinkName) {
        StringBuilder sb = new StringBuilder(sinkName.length());
        for (char c : sinkName.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' ? c : '.');
        }
        return sb.toString();
    }

}
