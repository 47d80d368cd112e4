package io.routemq.server.gateway;

import io.routemq.broker.BrokerConfig;
import io.routemq.mqtt.ProtocolVersion;
import io.routemq.mqtt.ReconnectPolicy;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.TlsConfig;
import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.OverflowPolicy;
import io.routemq.server.config.EmbeddedBrokerConfig;
import io.routemq.server.config.QueueConfig;
import io.routemq.server.config.SinkConfig;
import io.routemq.sink.http.HttpSinkConfig;


import java.util.List;

/**
 * Maps the gateway's config records onto the config types of the modules it assembles: MQTT sessions, the
 * embedded broker, the durable queue and the HTTP sink.
 */
final class Mappings {
    /** The embedded broker's user for the gateway's own session (random password per start). */
    static final String INTERNAL_USER = "routemq-gateway";
    /** The gateway's client id on the embedded broker; it and its "-N" worker ids are reserved to INTERNAL_USER. */
    static final String INTERNAL_CLIENT_ID = "routemq-gateway";

    private Mappings() {
    }

    static SessionConfig session(io.routemq.server.config.BrokerConfig b) {
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

    static BrokerConfig broker(EmbeddedBrokerConfig e, String internalPassword, int portOverride) {
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
        if (!e.acl().isEmpty()) {
            // The gateway's own session must be able to subscribe to every route's topics.
            b.aclRule(new BrokerConfig.AclRule(true, List.of(BrokerConfig.Action.SUBSCRIBE, BrokerConfig.Action.PUBLISH),
                    INTERNAL_USER, null, "#"));
        }
        return b.build();
    }

    static io.routemq.queue.QueueConfig queue(QueueConfig q) {
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

    static OverflowPolicy overflow(SinkConfig.Overflow overflow) {
        return switch (overflow) {
            case BLOCK -> OverflowPolicy.BLOCK;
            case DEAD_LETTER -> OverflowPolicy.DEAD_LETTER;
        };
    }

    static HttpSinkConfig http(SinkConfig sink) {
        var h = sink.http();
        HttpSinkConfig.Builder b = HttpSinkConfig.builder(sink.name())
                .urls(h.urls())
                .mode(switch (h.mode()) {
                    case FANOUT -> HttpSinkConfig.Mode.FANOUT;
                    case ROUND_ROBIN -> HttpSinkConfig.Mode.ROUND_ROBIN;
                    case FAILOVER -> HttpSinkConfig.Mode.FAILOVER;
                })
                .method(h.method())
                .headers(h.headers())
                .body(switch (h.body()) {
                    case RAW -> HttpSinkConfig.BodyFormat.RAW;
                    case ENVELOPE -> HttpSinkConfig.BodyFormat.ENVELOPE;
                    case GO -> HttpSinkConfig.BodyFormat.GO;
                    case TEMPLATE -> HttpSinkConfig.BodyFormat.TEMPLATE;
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

    static RetryPolicy retry(SinkConfig.Retry r) {
        return new RetryPolicy(r.attempts(), r.backoffMin(), r.backoffMax(), 2.0, 0.2, r.maxAge());
    }

    /** A queue directory name for a sink: the HTTP sink's per-URL names ({@code name#hash}) use '.' instead. */
    static String queueName(String sinkName) {
        StringBuilder sb = new StringBuilder(sinkName.length());
        for (char c : sinkName.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' ? c : '.');
        }
        return sb.toString();
    }

}
