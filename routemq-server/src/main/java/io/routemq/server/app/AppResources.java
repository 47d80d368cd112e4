package io.routemq.server.app;

import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.JobStores;
import io.routemq.jobs.Jobs;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared resources an application's components may take: Redis connections, the database pool and the job
 * store ({@link Jobs}). Each is opened only when something takes it (Redis and the database only when their section
 * is configured), and they close in the reverse order of opening, after the components: the job store before the
 * Redis or database it stores jobs in.
 */
final class AppResources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppResources.class);

    private final RedisConfig redisConfig;
    private final DatabaseConfig databaseConfig;
    private final JobsConfig jobsConfig;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisConnections redis;
    private DatabasePool database;
    private Jobs jobs;

    /**
     * @param redisConfig    the {@code redis:} section, or null when there is none
     * @param databaseConfig the {@code database:} section, or null when there is none
     * @param jobsConfig     the {@code jobs:} section, or null when there is none (then the defaults: local driver)
     */
    AppResources(RedisConfig redisConfig, DatabaseConfig databaseConfig, JobsConfig jobsConfig) {
        this.redisConfig = redisConfig;
        this.databaseConfig = databaseConfig;
        this.jobsConfig = jobsConfig;
    }

    /** The {@code jobs:} section, or the defaults when there is none. */
    JobsConfig jobsConfig() {
        return jobsConfig != null ? jobsConfig : JobsConfig.defaults();
    }

    /** Whether the config has a {@code jobs:} section. */
    boolean jobsConfigured() {
        return jobsConfig != null;
    }

    /** The jobs, on the store the {@code jobs:} section names (Redis or the database of this process), opened on first use. */
    synchronized Jobs jobs() {
        if (jobs == null) {
            JobsConfig c = jobsConfig();
            JobStore store = JobStores.open(c, this::redis, this::database);
            opened.add(store);
            jobs = new Jobs(store);
            log.info("jobs: {} driver{}", store.driver(), c.driver() == JobsConfig.Driver.LOCAL ? " in " + c.dir() : "");
        }
        return jobs;
    }

    /** Whether the job store was opened (a component took {@link Jobs}, or workers run). */
    synchronized boolean jobsOpened() {
        return jobs != null;
    }

    /** The Redis connections, opened on first use. */
    synchronized RedisConnections redis() {
        if (redis == null) {
            if (redisConfig == null) throw new IllegalStateException(missingRedis("a component of the app"));
            redis = RedisConnections.open(redisConfig);
            opened.add(redis);
            log.info("redis: {} (connects on first use)", redisConfig.redactedUri());
        }
        return redis;
    }

    /** The database pool, opened on first use. */
    synchronized DatabasePool database() {
        if (database == null) {
            if (databaseConfig == null) throw new IllegalStateException(missingDatabase("a component of the app"));
            database = DatabasePool.open(databaseConfig);
            opened.add(database);
            log.info("database: {} (connects on first use)", io.routemq.core.sink.Redaction.url(databaseConfig.url()));
        }
        return database;
    }

    /** Whether the config has a {@code redis:} section. */
    boolean redisConfigured() {
        return redisConfig != null;
    }

    /** Whether the config has a {@code database:} section. */
    boolean databaseConfigured() {
        return databaseConfig != null;
    }

    /** The error when {@code who} takes Redis and the config has no {@code redis:} section. */
    static String missingRedis(String who) {
        return who + " takes Redis (RedisConnections), but routemq.yaml has no redis: section; add one, such as "
                + "redis: { uri: redis://127.0.0.1:6379 }, or take Optional<RedisConnections> (docs/apps.md)";
    }

    /** The error when {@code who} takes the database and the config has no {@code database:} section. */
    static String missingDatabase(String who) {
        return who + " takes the database (DataSource or DatabasePool), but routemq.yaml has no database: section; add one, "
                + "such as database: { url: jdbc:postgresql://127.0.0.1:5432/app }, or take Optional<DataSource> (docs/apps.md)";
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
                AutoCloseable c = opened.get(i);
                log.warn("closing {}: {}", c == redis ? "redis" : c == database ? "the database pool" : "the job store", e.toString());
            }
        }
        opened.clear();
    }
}
