package io.routemq.server.cli;

import io.routemq.database.DatabaseConfig;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConfig;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code routemq jobs} needs from a config file: its {@code jobs:}, {@code redis:} and {@code database:}
 * sections, read by the one config loader (so {@code run}, {@code check} and {@code jobs} accept and refuse the same
 * file, with the same file:line errors).
 *
 * @param jobs     the {@code jobs:} section (the defaults when absent: the local driver in data/jobs)
 * @param redis    the {@code redis:} section, or null (then the redis driver is refused: the loader reports it)
 * @param database the {@code database:} section, or null
 */
record JobsSection(JobsConfig jobs, RedisConfig redis, DatabaseConfig database) {

    /** Reads the sections from a file; null: the defaults (local driver in data/jobs). */
    static JobsSection read(Path file, Map<String, String> env) {
        if (file == null) return new JobsSection(JobsConfig.defaults(), null, null);
        GatewayConfig c = new ConfigLoader(env).load(file);
        return new JobsSection(c.jobs() != null ? c.jobs() : JobsConfig.defaults(), c.redis(), c.database());
    }
}
