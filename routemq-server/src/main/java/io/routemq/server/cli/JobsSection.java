package io.routemq.server.cli;

import io.routemq.database.DatabaseConfig;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConfig;
import io.routemq.server.config.internal.EnvSubstitution;
import io.routemq.server.config.internal.Node;
import io.routemq.server.config.internal.Problems;
import io.routemq.server.config.internal.TreeReader;
import io.routemq.server.config.internal.Values;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * TEMPORARY BINDING (for the lead to connect): reads the {@code jobs:}, {@code redis:} and {@code database:}
 * sections of a config file for {@code routemq jobs}, until the config loader binds them into {@link JobsConfig},
 * {@link RedisConfig} and {@link DatabaseConfig} (helper "cfg"). Then replace {@link #read} by the loaded config's
 * records and delete this file. It uses the loader's own tree reader, {@code ${ENV}} substitution and duration
 * parser, and reports errors at file:line with the key path.
 *
 * @param jobs     the {@code jobs:} section (defaults when absent)
 * @param redis    the {@code redis:} section ({@code uri}, ...), or the default Redis when absent
 * @param database the {@code database:} section ({@code url}, {@code username}, {@code password}), or null
 */
record JobsSection(JobsConfig jobs, RedisConfig redis, DatabaseConfig database) {

    private static final Set<String> JOB_KEYS = Set.of("driver", "queues", "workers", "pollInterval", "lease",
            "shutdownTimeout", "dir", "keyPrefix", "tablePrefix");

    /** Reads the sections from a file; null: the defaults (local driver in data/jobs). */
    static JobsSection read(Path file, Map<String, String> env) {
        if (file == null) return new JobsSection(JobsConfig.defaults(), RedisConfig.defaults(), null);
        String source = file.toString();
        Problems problems = new Problems(source);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file '" + file + "': " + e.getMessage(), e);
        }
        Node root = TreeReader.read(text, source.endsWith(".json") ? TreeReader.Syntax.JSON : TreeReader.Syntax.YAML, problems);
        problems.throwIfAny();
        if (root != null) root = EnvSubstitution.apply(root, env, problems);
        problems.throwIfAny();
        Node.MapNode top = root instanceof Node.MapNode m ? m : null;
        JobsConfig jobs = JobsConfig.defaults();
        RedisConfig redis = RedisConfig.defaults();
        DatabaseConfig database = null;
        try {
            if (top != null && top.get("jobs") instanceof Node.MapNode j) jobs = jobs(source, j);
            if (top != null && top.get("redis") instanceof Node.MapNode r && scalar(r, "uri") != null) {
                redis = RedisConfig.builder(scalar(r, "uri")).build();
            }
            if (top != null && top.get("database") instanceof Node.MapNode d && scalar(d, "url") != null) {
                DatabaseConfig.Builder b = DatabaseConfig.builder(scalar(d, "url"));
                if (scalar(d, "username") != null) b.username(scalar(d, "username"));
                if (scalar(d, "password") != null) b.password(scalar(d, "password"));
                database = b.build();
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) throw e;
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return new JobsSection(jobs, redis, database);
    }

    private static JobsConfig jobs(String source, Node.MapNode j) {
        JobsConfig.Builder b = JobsConfig.builder();
        for (Node.Entry e : j.view().values()) {
            String where = source + ":" + e.keyLocation().line() + ":" + e.keyLocation().column() + " jobs." + e.key();
            if (!JOB_KEYS.contains(e.key())) {
                String hint = io.routemq.server.config.internal.Suggest.hint(e.key(), JOB_KEYS, "known keys");
                throw new IllegalArgumentException(where + ": unknown key" + (hint == null ? "" : " (" + hint + ")"));
            }
            try {
                switch (e.key()) {
                    case "driver" -> {
                        String v = text(e.value());
                        b.driver(switch (v) {
                            case "local" -> JobsConfig.Driver.LOCAL;
                            case "redis" -> JobsConfig.Driver.REDIS;
                            case "database" -> JobsConfig.Driver.DATABASE;
                            default -> throw new IllegalArgumentException("'" + v + "' is not a driver: write local, redis or database");
                        });
                    }
                    case "queues" -> {
                        if (!(e.value() instanceof Node.MapNode q)) throw new IllegalArgumentException("write a map of queue name to concurrency, like { default: 4, mail: 2 }");
                        for (Node.Entry qe : q.view().values()) b.queue(qe.key(), Integer.parseInt(text(qe.value())));
                    }
                    case "workers" -> b.workers(Boolean.parseBoolean(text(e.value())));
                    case "pollInterval" -> b.pollInterval(Values.parseDuration(text(e.value())));
                    case "lease" -> b.lease(Values.parseDuration(text(e.value())));
                    case "shutdownTimeout" -> b.shutdownTimeout(Values.parseDuration(text(e.value())));
                    case "dir" -> b.dir(Path.of(text(e.value())));
                    case "keyPrefix" -> b.keyPrefix(text(e.value()));
                    case "tablePrefix" -> b.tablePrefix(text(e.value()));
                    default -> { }
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(source + ":" + j.location().line() + " " + ex.getMessage(), ex);
        }
    }

    private static String scalar(Node.MapNode m, String key) {
        return m.get(key) instanceof Node.Scalar s && s.value() != null ? s.text() : null;
    }

    private static String text(Node n) {
        if (n instanceof Node.Scalar s && s.value() != null) return s.text();
        throw new IllegalArgumentException("write a single value here");
    }

}
