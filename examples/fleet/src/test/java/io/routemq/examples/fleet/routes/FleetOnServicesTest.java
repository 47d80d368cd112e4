package io.routemq.examples.fleet.routes;

import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.examples.fleet.Services;
import io.routemq.examples.fleet.controllers.Trucks;
import io.routemq.examples.fleet.middleware.RequestLogging;
import io.routemq.examples.fleet.middleware.RequireToken;
import io.routemq.examples.fleet.stores.RedisPositions;
import io.routemq.examples.fleet.stores.SqlAlerts;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import io.routemq.server.app.Settings;
import io.routemq.test.RouteMqExtension;
import io.routemq.test.RouteMqTester;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static io.routemq.examples.fleet.routes.FleetRoutesTest.truck;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trucks' routes on the machine's Redis (positions) and PostgreSQL (alerts), as the app runs with redis: and
 * database: sections; each test is skipped with the reason when its service is not there. Keys and the table are
 * unique to the run and removed at the end.
 */
class FleetOnServicesTest {
    static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final Settings SETTINGS = new Settings(Map.of());
    // Neither connects before its first use: a test checks that its service is there first.
    static final RedisConnections redis = RedisConnections.open(RedisConfig.builder(Services.REDIS_URI).build());
    static final DatabasePool postgres = DatabasePool.open(DatabaseConfig.builder(Services.POSTGRES_URL).username("postgres").build());
    static final RedisPositions positions = new RedisPositions(redis, "fleet-test-" + RUN);
    static final SqlAlerts alerts = new SqlAlerts(postgres.dataSource(), "fleet_alerts_" + RUN, "the test's PostgreSQL");

    @RegisterExtension
    static RouteMqExtension mq = RouteMqExtension.withRoutes(
            new FleetRoutes(new Trucks(positions, alerts, SETTINGS), new RequestLogging(), new RequireToken(SETTINGS)));

    @Test
    void theRedisHashHoldsTheLastOfThreeFixes(RouteMqTester mq) {
        Services.assume("Redis", 6379);
        mq.publish(truck("fleet/north/trucks/t-9/gps", "{\"lat\": 59.30, \"lon\": 18.01, \"speedKmh\": 50}"));
        mq.publish(truck("fleet/north/trucks/t-9/gps", "{\"lat\": 59.31, \"lon\": 18.02, \"speedKmh\": 60}"));
        mq.publish(truck("fleet/north/trucks/t-9/gps", "{\"lat\": 59.32, \"lon\": 18.03, \"speedKmh\": 70}"));

        mq.awaitHandled(FleetRoutesTest.GPS, 3);
        // read with a plain HGET, as another service would
        assertThat(redis.shared().sync().hgetall(positions.key("north")))
                .isEqualTo(Map.of("t-9", "{\"lat\":59.32,\"lon\":18.03,\"speedKmh\":70.0}"));
    }

    @Test
    void theAlertsTableHasTheRow(RouteMqTester mq) throws Exception {
        Services.assume("PostgreSQL", 5432);
        alerts.createTable();
        mq.publish(truck("fleet/south/trucks/t-7/alerts", "{\"kind\": \"engine\", \"message\": \"oil pressure low\"}"));

        mq.awaitHandled(FleetRoutesTest.ALERTS, 1);
        try (Connection c = postgres.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT fleet_id, truck_id, kind, detail FROM " + alerts.table())) {
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("a row in " + alerts.table()).isTrue();
                assertThat(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4))
                        .isEqualTo("south t-7 engine oil pressure low");
                assertThat(r.next()).as("one row only").isFalse();
            }
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (Services.reachable(6379)) redis.shared().sync().del(positions.key("north"));
            if (Services.reachable(5432)) {
                try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + alerts.table());
                }
            }
        } finally {
            redis.close();
            postgres.close();
        }
    }
}
