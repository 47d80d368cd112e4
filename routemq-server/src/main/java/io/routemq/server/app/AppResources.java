package io.routemq.server.app;

import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared resources an application's components may take: Redis connections and the database pool. Each is
 * opened only when a component takes it (and only when its section is configured), and they close in the reverse
 * order of opening, after the components.
 */
final class AppResources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppResources.class);

    private final RedisConfig redisConfig;
    private final DatabaseConfig databaseConfig;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisConnections redis;
    private DatabasePool database;

    /**
     * @param redisConfig    the {@code redis:} section, or null when there is none
     * @param databaseConfig the {@code database:} section, or null when there is none
     */
    AppResources(RedisConfig redisConfig, DatabaseConfig databaseConfig) {
        this.redisConfig = redisConfig;
        this.databaseConfig = databaseConfig;
    }

    /** The Redis connections, opened on first use. */
    synchronized RedisConnections redis() {
        if (redis == null) {
            if (redisConfig == null) {
                throw new IllegalStateException("a component of the app takes Redis (RedisConnections), but routemq.yaml has no "
                        + "redis: section; add one, such as redis: { uri: redis://127.0.0.1:6379 } (docs/apps.md)");
            }
            redis = RedisConnections.open(redisConfig);
            opened.add(redis);
            log.info("redis: {} (connects on first use)", redisConfig.redactedUri());
        }
        return redis;
    }

    /** The database pool, opened on first use. */
    synchronized DatabasePool database() {
        if (database == null) {
            if (databaseConfig == null) {
                throw new IllegalStateException("a component of the app takes the database (DataSource or DatabasePool), but "
                        + "routemq.yaml has no database: section; add one, such as database: { url: jdbc:postgresql://127.0.0.1:5432/app } "
                        + "(docs/apps.md)");
            }
            database = DatabasePool.open(databaseConfig);
            opened.add(database);
            log.info("database: {} (connects on first use)", io.routemq.core.sink.Redaction.url(databaseConfig.url()));
        }
        return database;
    }

    /** Whether Redis was opened (a component took it). */
    synchronized boolean redisOpened() {
        return redis != null;
    }

    /** Whether the database was opened (a component took it). */
    synchronized boolean databaseOpened() {
        return database != null;
    }

    /** Closes what was opened, last opened first. */
    @Override
    public synchronized void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                log.warn("closing {}: {}", opened.get(i) == redis ? "redis" : "the database pool", e.toString());
            }
        }
        opened.clear();
    }
}
