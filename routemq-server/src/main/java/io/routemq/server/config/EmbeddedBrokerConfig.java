package io.routemq.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The embedded MQTT broker ({@code broker:}), which the gateway starts in-process when it is enabled.
 *
 * @param enabled          {@code auto} (on only when no {@code brokers} are configured), {@code true} or {@code false}
 * @param bind             the address to listen on (default 127.0.0.1)
 * @param port             the TCP port (default 1883; 0 picks a free port)
 * @param wsPort           the WebSocket port, 0 for none (default 0)
 * @param wsPath           the WebSocket path (default {@code /mqtt})
 * @param dataDir          where sessions and retained messages are kept (default ./data/broker)
 * @param inMemory         keep nothing on disk (default false)
 * @param allowAnonymous   accept clients without credentials (default false)
 * @param passwordFile     a file of {@code user:password} lines, or null
 * @param users            users with passwords
 * @param acl              access rules, first match wins; with none every authenticated client may do anything
 * @param maxKeepAlive     the largest keep-alive a client may ask for (default 60s)
 * @param maxPacketSize    the largest packet accepted, in bytes (default 1MB, the embedded broker's own default, sized for
 *                         telemetry and bounding what a client can make the broker hold before login; at most 256MB)
 * @param maxSessionExpiry the longest session expiry a client may ask for (default 1d)
 * @param queue            the per-client queue for offline and slow clients
 */
public record EmbeddedBrokerConfig(Enabled enabled, String bind, int port, int wsPort, String wsPath, Path dataDir,
                                   boolean inMemory, boolean allowAnonymous, Path passwordFile, List<User> users,
                                   List<AclRule> acl, Duration maxKeepAlive, long maxPacketSize,
                                   Duration maxSessionExpiry, Queue queue) {

    /** The largest packet size MQTT can express. */
    public static final long MQTT_MAX_PACKET_SIZE = 268_435_455L;

    /** Copies the lists. */
    public EmbeddedBrokerConfig {
        users = List.copyOf(users);
        acl = List.copyOf(acl);
    }

    /** Whether the embedded broker runs. */
    public enum Enabled {
        /** Only when no external broker is configured. */
        AUTO,
        /** Always. */
        TRUE,
        /** Never. */
        FALSE
    }

    /**
     * A user of the embedded broker.
     *
     * @param username the user name
     * @param password the password
     */
    public record User(String username, Secret password) {
    }

    /** What an access rule covers. */
    public enum Access {
        /** Publishing. */
        PUBLISH,
        /** Subscribing. */
        SUBSCRIBE,
        /** Both. */
        ALL
    }

    /**
     * One access rule. A rule names a user, a client id, or neither (then it applies to every client).
     *
     * @param user     the user name it applies to, or null
     * @param clientId the client id it applies to, or null
     * @param topic    the topic filter it covers (MQTT filter syntax)
     * @param access   publish, subscribe or all (default all)
     * @param allow    allow (default) or deny
     */
    public record AclRule(String user, String clientId, String topic, Access access, boolean allow) {
    }

    /** What the broker does when a client's queue is full. */
    public enum Overflow {
        /** Stop reading from publishers until there is room (backpressure). */
        BLOCK,
        /** Drop the new message (counted). */
        DROP
    }

    /**
     * The per-client queue.
     *
     * @param maxPerClient the most messages queued for one client (default 1,000,000)
     * @param overflow     what happens beyond that (default block)
     */
    public record Queue(long maxPerClient, Overflow overflow) {
        /** The defaults. */
        public static final Queue DEFAULT = new Queue(1_000_000L, Overflow.BLOCK);
    }

    /** The defaults: auto, 127.0.0.1:1883, ./data/broker, no anonymous access. */
    public static EmbeddedBrokerConfig defaults() {
        return new EmbeddedBrokerConfig(Enabled.AUTO, "127.0.0.1", 1883, 0, "/mqtt", Path.of("./data/broker"), false,
                false, null, List.of(), List.of(), Duration.ofSeconds(60), io.routemq.broker.BrokerConfig.DEFAULT_MAX_PACKET_SIZE, Duration.ofDays(1),
                Queue.DEFAULT);
    }
}
