package io.routemq.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of the embedded broker: the {@code broker:} section of a RouteMQ config file.
 *
 * <p>Build one with {@link #builder()} or read one with {@link BrokerConfigLoader}. Every field has a safe default:
 * loopback only, no anonymous access, file persistence, usage statistics off, a per-client queue large enough for
 * a burst of 100k QoS 1 messages to an offline session. See {@code docs/broker.md} for the YAML keys.
 *
 * @param bindAddress        address every listener binds to ({@code 127.0.0.1})
 * @param port               plain MQTT TCP port ({@code 1883}); {@code 0} picks a free port
 * @param wsPort             MQTT over WebSocket port; {@code -1} (default) disables it, {@code 0} picks a free port
 * @param wsPath             WebSocket path ({@code /mqtt})
 * @param tls                optional TLS (MQTT over TLS) listener
 * @param persistence        {@link Persistence#FILE} (default) or {@link Persistence#MEMORY}
 * @param dataDir            directory for file persistence ({@code data/broker}); ignored in memory mode
 * @param maxPacketSize      largest MQTT packet accepted, in bytes ({@link #DEFAULT_MAX_PACKET_SIZE}, 1 MB); also the
 *                           most a client that has not logged in can make the broker buffer for its CONNECT
 * @param maxSessionExpiry   upper bound for a session's expiry interval ({@code 7d})
 * @param maxKeepAlive       upper bound for a client's keep alive ({@code 60s}); a client that asks for more (or for
 *                           none) gets this value as Server Keep Alive in its CONNACK
 * @param maxQueuedMessages  per-client queue limit (1,000,000 messages)
 * @param queueOverflow      what happens when the queue limit is reached ({@link QueueOverflow#DISCARD_NEW})
 * @param serverReceiveMaximum how many QoS 1/2 publishes a client may have unacknowledged towards the broker (10)
 * @param allowAnonymous     whether clients without a user name may connect ({@code false})
 * @param users              users from the config: user name to password, plain or hashed (see {@link Passwords})
 * @param passwordFile       optional password file, one {@code user:hash} a line
 * @param acl                optional access control list; {@code null} allows every authenticated client everything
 * @param internal           optional identity reserved for the application that embeds the broker (the gateway's own
 *                           session); {@code null} reserves nothing
 */
public record BrokerConfig(
        String bindAddress,
        int port,
        int wsPort,
        String wsPath,
        Tls tls,
        Persistence persistence,
        Path dataDir,
        long maxPacketSize,
        Duration maxSessionExpiry,
        Duration maxKeepAlive,
        long maxQueuedMessages,
        QueueOverflow queueOverflow,
        int serverReceiveMaximum,
        boolean allowAnonymous,
        Map<String, String> users,
        Path passwordFile,
        Acl acl,
        Internal internal) {

    /** Default TCP port. */
    public static final int DEFAULT_PORT = 1883;
    /** Value of {@link #wsPort()} when the WebSocket listener is disabled. */
    public static final int DISABLED = -1;
    /** Largest packet MQTT allows (and HiveMQ's default). */
    public static final long MQTT_MAX_PACKET_SIZE = 268_435_460L;
    /**
     * Default {@link #maxPacketSize()}: 1 MB, ample for telemetry. It also bounds what a client that has not logged in
     * can make the broker hold: HiveMQ refuses a CONNECT that claims more before buffering it.
     */
    public static final long DEFAULT_MAX_PACKET_SIZE = 1L << 20;
    /** Default per-client queue limit. */
    public static final long DEFAULT_MAX_QUEUED_MESSAGES = 1_000_000L;
    /** Default server receive maximum. */
    public static final int DEFAULT_SERVER_RECEIVE_MAXIMUM = 10;

    /** Validates and normalises the values. */
    public BrokerConfig {
        bindAddress = requireText(bindAddress, "bind");
        checkPort(port, "port", false);
        checkPort(wsPort, "wsPort", true);
        wsPath = requireText(wsPath, "wsPath");
        if (!wsPath.startsWith("/")) {
            throw new IllegalArgumentException("broker.wsPath '" + wsPath + "' must start with '/', e.g. /mqtt");
        }
        persistence = Objects.requireNonNull(persistence, "persistence");
        dataDir = Objects.requireNonNull(dataDir, "dataDir");
        if (maxPacketSize < 1 || maxPacketSize > MQTT_MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("broker.maxPacketSize " + maxPacketSize
                    + " is out of range: use 1B..256MB (268435460 bytes, the MQTT maximum)");
        }
        maxSessionExpiry = Objects.requireNonNull(maxSessionExpiry, "maxSessionExpiry");
        if (maxSessionExpiry.isNegative() || maxSessionExpiry.toSeconds() > 4_294_967_295L) {
            throw new IllegalArgumentException("broker.maxSessionExpiry " + maxSessionExpiry
                    + " is out of range: use 0s..4294967295s");
        }
        maxKeepAlive = Objects.requireNonNull(maxKeepAlive, "maxKeepAlive");
        if (maxKeepAlive.toSeconds() < 1 || maxKeepAlive.toSeconds() > 65_535) {
            throw new IllegalArgumentException("broker.maxKeepAlive " + maxKeepAlive
                    + " is out of range: use 1s..65535s (18h12m15s)");
        }
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("broker.queue.maxPerClient must be at least 1, got " + maxQueuedMessages);
        }
        queueOverflow = Objects.requireNonNull(queueOverflow, "queueOverflow");
        if (serverReceiveMaximum < 1 || serverReceiveMaximum > 65_535) {
            throw new IllegalArgumentException("broker.serverReceiveMaximum " + serverReceiveMaximum
                    + " is out of range: use 1..65535");
        }
        users = Map.copyOf(users == null ? Map.of() : users);
        if (internal != null && users.containsKey(internal.user())) {
            throw new IllegalArgumentException("broker.users: user name '" + internal.user() + "' is reserved for the"
                    + " gateway's own session; choose another name");
        }
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults */
    public static BrokerConfig defaults() {
        return builder().build();
    }

    /** @return a builder initialised from this config */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the TLS listener settings, if one is configured */
    public Optional<Tls> tlsListener() {
        return Optional.ofNullable(tls);
    }

    /** @return whether the WebSocket listener is on */
    public boolean wsEnabled() {
        return wsPort != DISABLED;
    }

    @Override
    public String toString() {
        // never print passwords
        return "BrokerConfig[bindAddress=" + bindAddress + ", port=" + port + ", wsPort=" + wsPort + ", wsPath=" + wsPath
                + ", tls=" + tls + ", persistence=" + persistence + ", dataDir=" + dataDir
                + ", maxPacketSize=" + maxPacketSize + ", maxSessionExpiry=" + maxSessionExpiry
                + ", maxKeepAlive=" + maxKeepAlive + ", maxQueuedMessages=" + maxQueuedMessages
                + ", queueOverflow=" + queueOverflow + ", serverReceiveMaximum=" + serverReceiveMaximum
                + ", allowAnonymous=" + allowAnonymous
                + ", users=" + users.keySet() + ", passwordFile=" + passwordFile + ", acl=" + acl
                + ", internal=" + internal + "]";
    }

    private static String requireText(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("broker." + key + " must not be empty");
        }
        return value.strip();
    }

    private static void checkPort(int port, String key, boolean mayBeDisabled) {
        if ((mayBeDisabled && port == DISABLED) || (port >= 0 && port <= 65_535)) {
            return;
        }
        throw new IllegalArgumentException("broker." + key + " " + port + " is not a port: use 0..65535 (0 picks a free port)"
                + (mayBeDisabled ? " or -1 to disable the listener" : ""));
    }

    private static void checkAclTopic(String topic) {
        String where = "ACL topic '" + topic + "'";
        if (topic.startsWith("$share/")) {
            throw new IllegalArgumentException(where + ": write the filter without '$share/GROUP/'; a rule for 'a/#'"
                    + " also governs '$share/g/a/#'");
        }
        if (topic.indexOf('{') >= 0 || topic.indexOf('}') >= 0) {
            throw new IllegalArgumentException(where + ": '{' and '}' are not allowed in ACL topics; use + or #"
                    + " for any value, %u for the user name, %c for the client id");
        }
        try {
            io.routemq.core.TopicPattern.parse(topic.replace("%u", "u").replace("%c", "c"));
        } catch (io.routemq.core.InvalidPatternException e) {
            throw new IllegalArgumentException(where + " is not a valid MQTT topic filter: " + e.getMessage(), e);
        }
    }

    /** Persistence mode. */
    public enum Persistence {
        /** Sessions, queued messages and retained messages are kept in {@link #dataDir()} and survive a restart. */
        FILE,
        /** Everything is kept in memory and lost on stop. For tests. */
        MEMORY
    }

    /** What the broker does when a client's queue reaches {@link #maxQueuedMessages()}. */
    public enum QueueOverflow {
        /** The new message is dropped (logged and counted). */
        DISCARD_NEW,
        /** The oldest queued message is dropped to make room (logged and counted). */
        DISCARD_OLDEST
    }

    /**
     * TLS listener settings.
     *
     * @param port     TLS port ({@code 8883}); {@code 0} picks a free port
     * @param certFile PEM file with the server certificate, followed by any intermediate certificates
     * @param keyFile  PEM file with the unencrypted private key (PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY})
     */
    public record Tls(int port, Path certFile, Path keyFile) {
        /** Validates the values. */
        public Tls {
            checkPort(port, "tls.port", false);
            Objects.requireNonNull(certFile, "broker.tls.cert must be set");
            Objects.requireNonNull(keyFile, "broker.tls.key must be set");
        }
    }

    /** An action a client can take on a topic. */
    public enum Action {
        /** Publish to a topic. */
        PUBLISH,
        /** Subscribe to a topic filter. */
        SUBSCRIBE
    }

    /**
     * One ACL rule.
     *
     * @param allow    {@code true} to allow, {@code false} to deny
     * @param actions  the actions it covers, never empty
     * @param user     user name it applies to; {@code null} or {@code *} for every client (anonymous ones too);
     *                 {@code *} may also be used as a wildcard inside the name
     * @param clientId client id it applies to, same syntax as {@code user}
     * @param topic    topic filter; {@code %u} is replaced by the user name and {@code %c} by the client id
     */
    public record AclRule(boolean allow, List<Action> actions, String user, String clientId, String topic) {
        /** Validates the values. */
        public AclRule {
            actions = List.copyOf(actions);
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("an ACL rule needs at least one action (publish, subscribe)");
            }
            topic = requireText(topic, "acl.rules[].topic");
            checkAclTopic(topic);
        }

        /** @return a rule that allows the actions on the topic filter for everyone */
        public static AclRule allow(String topic, Action... actions) {
            return new AclRule(true, actions.length == 0 ? List.of(Action.values()) : List.of(actions), null, null, topic);
        }

        /** @return a rule that denies the actions on the topic filter for everyone */
        public static AclRule deny(String topic, Action... actions) {
            return new AclRule(false, actions.length == 0 ? List.of(Action.values()) : List.of(actions), null, null, topic);
        }

        /** @return a copy limited to a user name (or pattern) */
        public AclRule forUser(String userName) {
            return new AclRule(allow, actions, userName, clientId, topic);
        }

        /** @return a copy limited to a client id (or pattern) */
        public AclRule forClientId(String id) {
            return new AclRule(allow, actions, user, id, topic);
        }
    }

    /**
     * Access control list. A matching deny rule wins over a matching allow rule; when no rule matches,
     * {@link #defaultAllow()} decides.
     *
     * @param defaultAllow decision when no rule matches ({@code false}: deny)
     * @param rules        the rules
     */
    public record Acl(boolean defaultAllow, List<AclRule> rules) {
        /** Copies the rules. */
        public Acl {
            rules = List.copyOf(rules);
        }
    }

    /**
     * The identity reserved for the application that embeds the broker, such as the gateway's own session. Only a
     * client that logs in as {@code user} with {@code password} may use the client id {@code clientId} or
     * {@code clientId-N} (N a number: the workers of a shared subscription); anyone else is refused at CONNECT, so
     * nobody can take over that session. The user name is reserved too: a config user or password-file entry of that
     * name is never used. This identity is not subject to the ACL.
     *
     * @param user     reserved user name
     * @param password its password (typically random per start); never printed
     * @param clientId reserved client id, and prefix of the reserved {@code clientId-N}
     */
    public record Internal(String user, String password, String clientId) {
        /** Validates the values. */
        public Internal {
            user = requireText(user, "internal user");
            Objects.requireNonNull(password, "password of the internal user");
            clientId = requireText(clientId, "internal clientId");
        }

        /** @return whether the client id is reserved: {@code clientId} or {@code clientId-N} */
        public boolean reserves(String id) {
            if (id == null || !id.startsWith(clientId)) {
                return false;
            }
            if (id.length() == clientId.length()) {
                return true;
            }
            if (id.charAt(clientId.length()) != '-' || id.length() == clientId.length() + 1) {
                return false;
            }
            for (int i = clientId.length() + 1; i < id.length(); i++) {
                if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "Internal[user=" + user + ", clientId=" + clientId + "]";
        }
    }

    /** Builder for {@link BrokerConfig}; every setter has the default documented on the record. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private int wsPort = DISABLED;
        private String wsPath = "/mqtt";
        private Tls tls;
        private Persistence persistence = Persistence.FILE;
        private Path dataDir = Path.of("data", "broker");
        private long maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
        private Duration maxSessionExpiry = Duration.ofDays(7);
        private Duration maxKeepAlive = Duration.ofSeconds(60);
        private long maxQueuedMessages = DEFAULT_MAX_QUEUED_MESSAGES;
        private QueueOverflow queueOverflow = QueueOverflow.DISCARD_NEW;
        private int serverReceiveMaximum = DEFAULT_SERVER_RECEIVE_MAXIMUM;
        private boolean allowAnonymous;
        private final Map<String, String> users = new LinkedHashMap<>();
        private Path passwordFile;
        private Boolean aclDefaultAllow;
        private final List<AclRule> aclRules = new ArrayList<>();
        private Internal internal;

        private Builder() {
        }

        private Builder(BrokerConfig c) {
            bindAddress = c.bindAddress;
            port = c.port;
            wsPort = c.wsPort;
            wsPath = c.wsPath;
            tls = c.tls;
            persistence = c.persistence;
            dataDir = c.dataDir;
            maxPacketSize = c.maxPacketSize;
            maxSessionExpiry = c.maxSessionExpiry;
            maxKeepAlive = c.maxKeepAlive;
            maxQueuedMessages = c.maxQueuedMessages;
            queueOverflow = c.queueOverflow;
            serverReceiveMaximum = c.serverReceiveMaximum;
            allowAnonymous = c.allowAnonymous;
            users.putAll(c.users);
            passwordFile = c.passwordFile;
            internal = c.internal;
            if (c.acl != null) {
                aclDefaultAllow = c.acl.defaultAllow();
                aclRules.addAll(c.acl.rules());
            }
        }

        /** @param v address the listeners bind to; {@code 0.0.0.0} for every interface */
        public Builder bindAddress(String v) { bindAddress = v; return this; }

        /** @param v TCP port, 0 for a free one */
        public Builder port(int v) { port = v; return this; }

        /** @param v WebSocket port, 0 for a free one, -1 to disable */
        public Builder wsPort(int v) { wsPort = v; return this; }

        /** @param v WebSocket path */
        public Builder wsPath(String v) { wsPath = v; return this; }

        /** @param v TLS listener, or {@code null} for none */
        public Builder tls(Tls v) { tls = v; return this; }

        /** @param v persistence mode */
        public Builder persistence(Persistence v) { persistence = v; return this; }

        /** Keeps everything in memory (for tests). */
        public Builder inMemory() { persistence = Persistence.MEMORY; return this; }

        /** @param v data directory; also selects file persistence */
        public Builder dataDir(Path v) { dataDir = v; persistence = Persistence.FILE; return this; }

        /** @param v max packet size in bytes */
        public Builder maxPacketSize(long v) { maxPacketSize = v; return this; }

        /** @param v max session expiry */
        public Builder maxSessionExpiry(Duration v) { maxSessionExpiry = v; return this; }

        /** @param v max keep alive */
        public Builder maxKeepAlive(Duration v) { maxKeepAlive = v; return this; }

        /** @param v per-client queue limit */
        public Builder maxQueuedMessages(long v) { maxQueuedMessages = v; return this; }

        /** @param v queue overflow strategy */
        public Builder queueOverflow(QueueOverflow v) { queueOverflow = v; return this; }

        /** @param v unacknowledged QoS 1/2 publishes a client may send before it must wait (1..65535) */
        public Builder serverReceiveMaximum(int v) { serverReceiveMaximum = v; return this; }

        /** @param v whether clients without user name may connect */
        public Builder allowAnonymous(boolean v) { allowAnonymous = v; return this; }

        /**
         * Adds a user.
         *
         * @param name     user name
         * @param password plain password, or a hash made by {@link Passwords#hash(char[])}
         * @return this
         */
        public Builder user(String name, String password) {
            if (name == null || name.isEmpty() || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("broker.users: user name '" + name + "' must be non-empty and contain no ':'");
            }
            users.put(name, Objects.requireNonNull(password, "password of user " + name));
            return this;
        }

        /** @param v users (name to password or hash), replacing the current ones */
        public Builder users(Map<String, String> v) {
            users.clear();
            v.forEach(this::user);
            return this;
        }

        /**
         * Reserves an identity for the embedding application (see {@link Internal}).
         *
         * @param user     reserved user name
         * @param password its password
         * @param clientId reserved client id (and prefix of {@code clientId-N})
         * @return this
         */
        public Builder internalClient(String user, String password, String clientId) {
            internal = new Internal(user, password, clientId);
            return this;
        }

        /** @param v password file, or {@code null} */
        public Builder passwordFile(Path v) { passwordFile = v; return this; }

        /** @param rule an ACL rule to add; adding one turns the ACL on (default deny) */
        public Builder aclRule(AclRule rule) { aclRules.add(Objects.requireNonNull(rule)); return this; }

        /** @param v ACL decision when no rule matches; setting it turns the ACL on */
        public Builder aclDefaultAllow(boolean v) { aclDefaultAllow = v; return this; }

        /** @param v the whole ACL, or {@code null} for none */
        public Builder acl(Acl v) {
            aclRules.clear();
            aclDefaultAllow = null;
            if (v != null) {
                aclRules.addAll(v.rules());
                aclDefaultAllow = v.defaultAllow();
            }
            return this;
        }

        /** @return the config */
        public BrokerConfig build() {
            Acl acl = (aclDefaultAllow == null && aclRules.isEmpty())
                    ? null
                    : new Acl(aclDefaultAllow != null && aclDefaultAllow, aclRules);
            return new BrokerConfig(bindAddress, port, wsPort, wsPath, tls, persistence, dataDir, maxPacketSize,
                    maxSessionExpiry, maxKeepAlive, maxQueuedMessages, queueOverflow, serverReceiveMaximum, allowAnonymous, users,
                    passwordFile, acl, internal);
        }
    }
}
