package io.routemq.server.config;

import io.routemq.database.DatabaseConfig;
import io.routemq.jobs.JobsConfig;
import io.routemq.mqtt.SessionConfig;
import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.OverflowPolicy;
import io.routemq.queue.QueueConfig;
import io.routemq.redis.RedisConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole gateway config, validated and with every default applied. Read one with {@link ConfigLoader}.
 *
 * @param brokers  the external broker sessions by name, in file order (the MQTT module's own records)
 * @param broker   the embedded broker
 * @param routes   the routes, in file order
 * @param sinks    the sinks by name, in file order
 * @param queue    the durable queue (the queue module's own record)
 * @param admin    the admin HTTP server
 * @param logging  logging
 * @param shutdown shutdown
 * @param redis    the Redis connections ({@code redis:}, the Redis module's own record), or null when not configured
 * @param database the SQL pool ({@code database:}, the database module's own record), or null when not configured
 * @param jobs     background jobs ({@code jobs:}, the jobs module's own record), or null when not configured
 */
public record GatewayConfig(Map<String, SessionConfig> brokers, EmbeddedBrokerConfig broker, List<RouteConfig> routes,
                            Map<String, SinkConfig> sinks, QueueConfig queue, AdminConfig admin, LoggingConfig logging,
                            ShutdownConfig shutdown, RedisConfig redis, DatabaseConfig database, JobsConfig jobs) {

    /** The session name routes use for the embedded broker; no external broker may take it. */
    public static final String EMBEDDED = "embedded";

    /** Copies the collections, keeping their order. */
    public GatewayConfig {
        brokers = Collections.unmodifiableMap(new LinkedHashMap<>(brokers));
        routes = List.copyOf(routes);
        sinks = Collections.unmodifiableMap(new LinkedHashMap<>(sinks));
    }

    /**
     * The gateway's defaults for the durable queue ({@code queue:}): {@code ./data/queue}, fsync every 10ms (a crash of
     * the process loses nothing; power loss may cost the last interval), 64MB segments, 1GB in all, block when full.
     */
    public static QueueConfig defaultQueue() {
        return QueueConfig.builder(Path.of("./data/queue")).fsync(FsyncPolicy.interval(Duration.ofMillis(10)))
                .segmentBytes(64L << 20).maxBytes(1L << 30).overflowPolicy(OverflowPolicy.BLOCK).build();
    }

    /** A config without {@code redis:} and {@code database:}. */
    public GatewayConfig(Map<String, SessionConfig> brokers, EmbeddedBrokerConfig broker, List<RouteConfig> routes,
                         Map<String, SinkConfig> sinks, QueueConfig queue, AdminConfig admin, LoggingConfig logging,
                         ShutdownConfig shutdown) {
        this(brokers, broker, routes, sinks, queue, admin, logging, shutdown, null, null, null);
    }

    /** This config with the given {@code redis:} and {@code database:} sections (null for none). */
    public GatewayConfig withServices(RedisConfig redis, DatabaseConfig database) {
        return new GatewayConfig(brokers, broker, routes, sinks, queue, admin, logging, shutdown, redis, database, jobs);
    }

    /** This config with the given {@code jobs:} section (null for none). */
    public GatewayConfig withJobs(JobsConfig jobs) {
        return new GatewayConfig(brokers, broker, routes, sinks, queue, admin, logging, shutdown, redis, database, jobs);
    }

    /** This config with another durable queue and admin server (the environment's overrides). */
    public GatewayConfig withQueueAndAdmin(QueueConfig queue, AdminConfig admin) {
        return new GatewayConfig(brokers, broker, routes, sinks, queue, admin, logging, shutdown, redis, database, jobs);
    }

    /** Whether the embedded broker runs: {@code enabled: true}, or {@code auto} with no external broker. */
    public boolean embeddedBrokerEnabled() {
        return switch (broker.enabled()) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> brokers.isEmpty();
        };
    }

    /** The routes with {@code enabled: true}. */
    public List<RouteConfig> activeRoutes() {
        List<RouteConfig> out = new ArrayList<>();
        for (RouteConfig r : routes) if (r.enabled()) out.add(r);
        return Collections.unmodifiableList(out);
    }

    /** The session names in use: every external broker, then {@value #EMBEDDED} when the embedded broker runs. */
    public List<String> sessionNames() {
        List<String> out = new ArrayList<>(brokers.keySet());
        if (embeddedBrokerEnabled()) out.add(EMBEDDED);
        return Collections.unmodifiableList(out);
    }
}
