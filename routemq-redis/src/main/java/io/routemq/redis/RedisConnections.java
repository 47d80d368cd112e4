package io.routemq.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis connections of one RouteMQ process, opened from a {@link RedisConfig}: one client, one shared
 * connection for ordinary commands, and dedicated connections for blocking commands.
 *
 * <p>Nothing connects until a connection is first asked for, so a configured but unused Redis costs nothing. The
 * {@linkplain #shared() shared connection} is thread-safe and pipelines the commands of every caller; never issue a
 * blocking command ({@code XREADGROUP BLOCK}, {@code BLPOP}) or {@code MULTI} on it, because it would stall every
 * other caller: take a {@linkplain #dedicated() dedicated connection} for those. {@link #close()} closes the
 * dedicated connections, then the shared one, then the client.
 */
public final class RedisConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisConfig config;
    private final List<StatefulRedisConnection<?, ?>> opened = new ArrayList<>();
    private RedisClient client;
    private StatefulRedisConnection<String, String> shared;
    private StatefulRedisConnection<byte[], byte[]> sharedBinary;
    private boolean closed;

    private RedisConnections(RedisConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * @param config where to connect
     * @return the connections, not yet connected
     */
    public static RedisConnections open(RedisConfig config) {
        return new RedisConnections(config);
    }

    /** @return the configuration these connections were opened with */
    public RedisConfig config() {
        return config;
    }

    /**
     * @return the shared string connection, connected on first use
     * @throws RedisConnectionException when Redis cannot be reached
     */
    public synchronized StatefulRedisConnection<String, String> shared() {
        if (shared == null || !shared.isOpen()) {
            shared = connect(StringCodec.UTF8);
        }
        return shared;
    }

    /**
     * @return the shared binary connection (keys and values as bytes), connected on first use
     * @throws RedisConnectionException when Redis cannot be reached
     */
    public synchronized StatefulRedisConnection<byte[], byte[]> sharedBinary() {
        if (sharedBinary == null || !sharedBinary.isOpen()) {
            sharedBinary = connect(ByteArrayCodec.INSTANCE);
        }
        return sharedBinary;
    }

    /**
     * Opens a new connection for blocking commands. The caller owns it and may close it; whatever is still open is
     * closed by {@link #close()}.
     *
     * @return a new string connection
     * @throws RedisConnectionException when Redis cannot be reached
     */
    public StatefulRedisConnection<String, String> dedicated() {
        return connect(StringCodec.UTF8);
    }

    /**
     * @param codec how keys and values are encoded
     * @param <K>   key type
     * @param <V>   value type
     * @return a new connection with that codec, owned by the caller and closed by {@link #close()} at the latest
     */
    public <K, V> StatefulRedisConnection<K, V> dedicated(RedisCodec<K, V> codec) {
        return connect(codec);
    }

    /** @return true when Redis answers a PING on the shared connection */
    public boolean ping() {
        try {
            return "PONG".equals(shared().sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private synchronized <K, V> StatefulRedisConnection<K, V> connect(RedisCodec<K, V> codec) {
        if (closed) {
            throw new IllegalStateException("the Redis connections are closed");
        }
        if (client == null) {
            client = RedisClient.create(config.toRedisUri());
            client.setOptions(ClientOptions.builder()
                    .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).build())
                    .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                    .build());
            LOG.info("Redis: {}", config.redactedUri());
        }
        StatefulRedisConnection<K, V> connection = client.connect(codec);
        opened.add(connection);
        opened.removeIf(c -> !c.isOpen());
        return connection;
    }

    /** Closes every connection, then the client. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<StatefulRedisConnection<?, ?>> all = new ArrayList<>(opened);
        all.remove(shared);
        all.remove(sharedBinary);
        if (shared != null) {
            all.add(shared);
        }
        if (sharedBinary != null) {
            all.add(sharedBinary);
        }
        for (StatefulRedisConnection<?, ?> c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a Redis connection failed", e);
            }
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
