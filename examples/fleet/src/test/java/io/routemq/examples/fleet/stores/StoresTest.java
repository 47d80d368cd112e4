package io.routemq.examples.fleet.stores;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.routemq.database.DatabaseConfig;
import io.routemq.examples.fleet.Services;
import io.routemq.redis.RedisConfig;
import io.routemq.server.app.App;
import io.routemq.server.app.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app wired as {@code routemq run} wires it (its route index and avaje-inject's generated code, with RouteMQ's
 * beans): in-memory stand-ins, named in the log, without redis: and database: sections; Redis and SQL with them
 * (skipped with the reason when the machine has no Redis or PostgreSQL).
 */
class StoresTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger storesLogger = (Logger) LoggerFactory.getLogger(Stores.class);

    @BeforeEach
    void capture() {
        log.start();
        storesLogger.addAppender(log);
    }

    @AfterEach
    void release() {
        storesLogger.detachAppender(log);
    }

    private static App build(Settings settings, RedisConfig redis, DatabaseConfig database) {
        ClassLoader loader = StoresTest.class.getClassLoader();
        return App.build(loader, App.index(loader), settings, redis, database);
    }

    private List<String> lines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void withoutSectionsTheStandInsAreUsedAndNamed() {
        try (App app = build(new Settings(Map.of()), null, null)) {
            assertThat(app.scope().get(Positions.class)).isInstanceOf(MemoryPositions.class);
            assertThat(app.scope().get(Alerts.class)).isInstanceOf(MemoryAlerts.class);
            assertThat(app.usesRedis()).isFalse();
            assertThat(app.usesDatabase()).isFalse();
            assertThat(app.describe()).extracting(r -> r.topic()).contains(
                    "fleet/{fleetId}/trucks/{truckId}/gps", "fleet/{fleetId}/trucks/{truckId}/alerts",
                    "fleet/{fleetId}/trucks/{truckId}/where", "sensors/{deviceId}/data", "devices/{deviceId}/status");
        }
        assertThat(lines()).containsExactlyInAnyOrder(
                "positions: in memory (a map, lost at stop) (routemq.yaml has no redis: section; add redis: { uri: '${REDIS_URL}' } "
                        + "to keep them in Redis, see README)",
                "alerts: in memory (a list, lost at stop) (routemq.yaml has no database: section; add database: "
                        + "{ url: '${DATABASE_URL}' } to keep them in SQL, see README)");
    }

    @Test
    void withRedisAndDatabaseSectionsTheyAreUsed() throws Exception {
        Services.assume("Redis", 6379);
        Services.assume("PostgreSQL", 5432);
        String table = "fleet_alerts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DatabaseConfig database = DatabaseConfig.builder(Services.POSTGRES_URL).username("postgres").build();
        try (App app = build(new Settings(Map.of("ALERTS_TABLE", table)), RedisConfig.builder(Services.REDIS_URI).build(), database)) {
            assertThat(app.scope().get(Positions.class)).isInstanceOf(RedisPositions.class);
            Alerts alerts = app.scope().get(Alerts.class);
            assertThat(alerts).isInstanceOf(SqlAlerts.class);
            assertThat(alerts.latest(1)).as("the table was created at start").isEmpty();
            assertThat(app.usesRedis()).isTrue();
            assertThat(app.usesDatabase()).isTrue();
        } finally {
            try (var pool = io.routemq.database.DatabasePool.open(database);
                 Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        assertThat(lines()).containsExactlyInAnyOrder("positions: Redis hash fleet:{fleetId}:positions on redis://127.0.0.1:6379",
                "alerts: SQL table " + table + " in jdbc:postgresql://127.0.0.1:5432/test");
    }
}
