package io.routemq.server.config.internal;

import io.routemq.config.Obj;
import io.routemq.config.Problems;
import io.routemq.database.DatabaseConfig;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConfig;
import io.routemq.server.services.Services;

import java.util.function.Supplier;

/**
 * Binds the {@code redis:} and {@code database:} sections straight into the modules' own records, {@link RedisConfig}
 * and {@link DatabaseConfig}: a key that is not written keeps the builder's default, and what a record refuses is
 * reported at the key it names ("redis commandTimeout must be positive" at {@code redis.commandTimeout}).
 */
final class ServicesReader {
    static final String[] REDIS = {"uri", "connectTimeout", "commandTimeout", "clientName"};
    static final String[] DATABASE = {"url", "username", "password", "maxPoolSize", "minIdle", "connectionTimeout"};
    static final String[] JOBS = {"driver", "queues", "workers", "pollInterval", "lease", "shutdownTimeout", "dir", "keyPrefix",
            "tablePrefix"};
    private static final java.util.Map<String, JobsConfig.Driver> DRIVERS = Obj.choices(java.util.Map.entry("local", JobsConfig.Driver.LOCAL),
            java.util.Map.entry("redis", JobsConfig.Driver.REDIS), java.util.Map.entry("database", JobsConfig.Driver.DATABASE));

    private ServicesReader() {
    }

    /** The {@code redis:} section (null when refused, reported). */
    static RedisConfig redis(Obj r) {
        int before = r.problems().errorCount();
        RedisConfig d = RedisConfig.defaults();
        RedisConfig.Builder b = RedisConfig.builder(r.string("uri", d.uri()))
                .connectTimeout(r.duration("connectTimeout", d.connectTimeout()))
                .commandTimeout(r.duration("commandTimeout", d.commandTimeout()))
                .clientName(r.string("clientName", d.clientName()));
        return build(r, "redis", before, b::build);
    }

    /** The {@code database:} section (null when refused, reported). */
    static DatabaseConfig database(Obj o) {
        int before = o.problems().errorCount();
        String url = o.requiredString("url", "a JDBC URL, e.g. url: jdbc:postgresql://127.0.0.1:5432/routemq");
        if (url == null) return null;
        DatabaseConfig.Builder b = DatabaseConfig.builder(url);
        if (o.has("username")) b.username(o.string("username", ""));
        if (o.has("password")) b.password(o.string("password", ""));
        if (o.has("maxPoolSize")) b.maxPoolSize(o.integer("maxPoolSize", 10, 1, 1000));
        if (o.has("minIdle")) b.minIdle(o.integer("minIdle", 0, 0, 1000));
        if (o.has("connectionTimeout")) b.connectionTimeout(o.duration("connectionTimeout", java.time.Duration.ofSeconds(5)));
        return build(o, "database", before, b::build);
    }

    /**
     * The {@code jobs:} section, bound into the jobs module's {@link JobsConfig} (null when refused, reported). The
     * redis and database drivers need their section: Redis and the database are used only where configured.
     *
     * @param redisConfigured    whether the config has a {@code redis:} section
     * @param databaseConfigured whether the config has a {@code database:} section
     */
    static JobsConfig jobs(Obj o, boolean redisConfigured, boolean databaseConfigured) {
        int before = o.problems().errorCount();
        JobsConfig d = JobsConfig.defaults();
        JobsConfig.Driver driver = o.choice("driver", d.driver(), DRIVERS);
        if (driver == JobsConfig.Driver.REDIS && !redisConfigured) {
            o.problems().error(o.at("driver"), o.path("driver"), "redis", "the redis driver needs a redis: section, and the config has none",
                    "add one, such as " + Services.REDIS_EXAMPLE + ", or use driver: local");
        } else if (driver == JobsConfig.Driver.DATABASE && !databaseConfigured) {
            o.problems().error(o.at("driver"), o.path("driver"), "database", "the database driver needs a database: section, and the config has none",
                    "add one, such as " + Services.DATABASE_EXAMPLE + ", or use driver: local");
        }
        JobsConfig.Builder b = JobsConfig.builder()
                .driver(driver)
                .workers(o.bool("workers", d.workers()))
                .pollInterval(o.duration("pollInterval", d.pollInterval()))
                .lease(o.duration("lease", d.lease()))
                .shutdownTimeout(o.duration("shutdownTimeout", d.shutdownTimeout()))
                .keyPrefix(o.string("keyPrefix", d.keyPrefix()))
                .tablePrefix(o.string("tablePrefix", d.tablePrefix()));
        String dir = o.string("dir", d.dir().toString());
        try {
            b.dir(java.nio.file.Path.of(dir));
        } catch (java.nio.file.InvalidPathException e) {
            o.problems().error(o.at("dir"), o.path("dir"), "not a valid directory path: " + e.getReason(), "write a directory such as ./data/jobs");
        }
        if (o.has("queues")) {
            Obj q = o.anyKeys("queues");
            for (String name : q.keys()) b.queue(name, q.integer(name, 4, 1, 1000));
        }
        return build(o, "jobs", before, b::build);
    }

    /** Builds a record; its message "section key must ..." is reported at {@code section.key}. */
    private static <T> T build(Obj o, String section, int before, Supplier<T> build) {
        Problems p = o.problems();
        if (p.errorCount() > before) return null;
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            String msg = String.valueOf(e.getMessage());
            String key = "";
            if (msg.startsWith(section + " ")) {
                String rest = msg.substring(section.length() + 1);
                int sp = rest.indexOf(' ');
                if (sp > 0 && o.has(rest.substring(0, sp))) key = rest.substring(0, sp);
            }
            p.error(key.isEmpty() ? o.location() : o.at(key), key.isEmpty() ? o.path() : o.path(key), msg, null);
            return null;
        }
    }
}
