package io.routemq.examples.fleet.stores;

import io.avaje.inject.Bean;
import io.avaje.inject.Factory;
import io.routemq.database.DatabasePool;
import io.routemq.redis.RedisConnections;
import io.routemq.server.app.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Chooses where the app keeps positions and alerts, once, at start, and names the choice in one log line each:
 * Redis and SQL when routemq.yaml has a {@code redis:} or {@code database:} section (RouteMQ then supplies the
 * connections), in-memory stand-ins when it has none. Nothing falls back to a local Redis or database on its own.
 */
@Factory
public final class Stores {
    private static final Logger log = LoggerFactory.getLogger(Stores.class);

    /** Used by the generated wiring. */
    public Stores() {
    }

    /** The last positions: a Redis hash per fleet with a {@code redis:} section, else a map in memory. */
    @Bean
    public Positions positions(Optional<RedisConnections> redis) {
        if (redis.isEmpty()) {
            Positions memory = new MemoryPositions();
            log.info("positions: {} (routemq.yaml has no redis: section; add redis: { uri: '${REDIS_URL}' } to keep them in Redis, see README)",
                    memory.describe());
            return memory;
        }
        Positions positions = new RedisPositions(redis.get(), "fleet");
        log.info("positions: {}", positions.describe());
        return positions;
    }

    /** The alerts: a SQL table (created when missing) with a {@code database:} section, else a list in memory. */
    @Bean
    public Alerts alerts(Optional<DatabasePool> database, Settings settings) {
        if (database.isEmpty()) {
            Alerts memory = new MemoryAlerts();
            log.info("alerts: {} (routemq.yaml has no database: section; add database: { url: '${DATABASE_URL}' } to keep them in SQL, see README)",
                    memory.describe());
            return memory;
        }
        SqlAlerts alerts = new SqlAlerts(database.get().dataSource(), settings.get("ALERTS_TABLE", "alerts"),
                database.get().config().redactedUrl()).createTable();
        log.info("alerts: {}", alerts.describe());
        return alerts;
    }
}
