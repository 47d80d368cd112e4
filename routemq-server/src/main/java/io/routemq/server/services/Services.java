package io.routemq.server.services;

import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The Redis connections and the database pool of one process: one {@link RedisConnections} for the {@code redis:}
 * section and one {@link DatabasePool} for the {@code database:} section, shared by everything that uses them (the
 * shipped middleware's {@code store: redis}, the job store, the app's components).
 *
 * <p>The rule: Redis and the database are used only where configured. Without its section, asking for one fails
 * with a message naming what asked and what to add ({@link #missingRedis}, {@link #missingDatabase}); the config
 * loader reports the same for {@code store: redis} and {@code jobs.driver} at their file:line, so this is the last
 * line of defence. Each is opened on first use (and connects on its first command) and closed once, by
 * {@link #close()}, last opened first: the owner closes it after everything that uses it.
 */
public final class Services implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    /** What to add for Redis, as an error's hint writes it. */
    public static final String REDIS_EXAMPLE = "redis: { uri: redis://127.0.0.1:6379 }";
    /** What to add for the database, as an error's hint writes it. */
    public static final String DATABASE_EXAMPLE = "database: { url: jdbc:postgresql://127.0.0.1:5432/app }";

    private final RedisConfig redisConfig;
    private final DatabaseConfig databaseConfig;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisConnections redis;
    private DatabasePool database;
    private boolean closed;

    /**
     * @param redis    the {@code redis:} section, or null when there is none
     * @param database the {@code database:} section, or null when there is none
     */
    public Services(RedisConfig redis, DatabaseConfig database) {
        this.redisConfig = redis;
        this.databaseConfig = database;
    }

    /** Whether the config has a {@code redis:} section. */
    public boolean redisConfigured() {
        return redisConfig != null;
    }

    /** Whether the config has a {@code database:} section. */
    public boolean databaseConfigured() {
        return databaseConfig != null;
    }

    /**
     * The Redis connections, opened on first use.
     *
     * @param who what asks, as the error's subject: {@code "jobs.driver redis"}
     * @throws IllegalStateException naming {@code who} and what to add when the config has no {@code redis:} section,
     *                               or when closed
     */
    public synchronized RedisConnections redis(String who) {
        if (redis == null) {
            if (redisConfig == null) throw new IllegalStateException(missingRedis(who, null));
            checkOpen();
            redis = RedisConnections.open(redisConfig);
            opened.add(redis);
            log.info("redis: {} (connects on first use)", redisConfig.redactedUri());
        }
        return redis;
    }

    /**
     * The database pool, opened on first use (it connects when its data source is first asked for).
     *
     * @param who what asks, as the error's subject: {@code "jobs.driver database"}
     * @throws IllegalStateException naming {@code who} and what to add when the config has no {@code database:}
     *                               section, or when closed
     */
    public synchronized DatabasePool database(String who) {
        if (database == null) {
            if (databaseConfig == null) throw new IllegalStateException(missingDatabase(who, null));
            checkOpen();
            database = DatabasePool.open(databaseConfig);
            opened.add(database);
            log.info("database: {} (connects on first use)", databaseConfig.redactedUrl());
        }
        return database;
    }

    /** Whether the Redis connections were opened (something took them). */
    public synchronized boolean redisOpened() {
        return redis != null;
    }

    /** Whether the database pool was opened (something took it). */
    public synchronized boolean databaseOpened() {
        return database != null;
    }

    /**
     * The error when {@code who} needs Redis and the config has no {@code redis:} section.
     *
     * @param who    the subject: {@code "jobs.driver redis"}, {@code "a component of the app (com.acme.Positions) takes Redis"}
     * @param orElse another way out, or null: {@code "take Optional<RedisConnections>"}
     */
    public static String missingRedis(String who, String orElse) {
        return who + " needs Redis, but the config has no redis: section; add one, such as " + REDIS_EXAMPLE
                + (orElse == null ? "" : ", or " + orElse);
    }

    /**
     * The error when {@code who} needs the database and the config has no {@code database:} section.
     *
     * @param who    the subject: {@code "jobs.driver database"}
     * @param orElse another way out, or null
     */
    public static String missingDatabase(String who, String orElse) {
        return who + " needs the database, but the config has no database: section; add one, such as " + DATABASE_EXAMPLE
                + (orElse == null ? "" : ", or " + orElse);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the process's Redis and database connections are closed (stopping)");
    }

    /** Closes what was opened, last opened first; once (later calls do nothing). */
    @Override
    public synchronized void close() {
        closed = true;
        for (int i = opened.size() - 1; i >= 0; i--) {
            AutoCloseable c = opened.get(i);
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {}: {}", c == redis ? "redis" : "the database pool", e.toString());
            }
        }
        opened.clear();
    }
}
