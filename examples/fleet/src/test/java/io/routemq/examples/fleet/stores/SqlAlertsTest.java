package io.routemq.examples.fleet.stores;

import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.examples.fleet.Services;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The alerts table's DDL and queries on both databases the app supports; skipped with the reason without one. */
class SqlAlertsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PostgreSQL, " + Services.POSTGRES_URL + ", postgres, 5432", "MariaDB, " + Services.MARIADB_URL + ", root, 3306"})
    void createsTheTableOnceStoresAndReadsNewestFirst(String name, String url, String user, int port) throws Exception {
        Services.assume(name, port);
        String table = "fleet_alerts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (DatabasePool pool = DatabasePool.open(DatabaseConfig.builder(url).username(user).build())) {
            try {
                SqlAlerts alerts = new SqlAlerts(pool.dataSource(), table, name).createTable().createTable();  // IF NOT EXISTS
                alerts.record(new Alert("a-1", "north", "t-1", "door", "rear door open", 1000));
                alerts.record(new Alert("a-2", "north", "t-2", "speeding", "131.0 km/h", 2000));

                assertThat(alerts.latest(5)).extracting(Alert::id).containsExactly("a-2", "a-1");
                assertThat(alerts.latest(1)).singleElement().isEqualTo(new Alert("a-2", "north", "t-2", "speeding", "131.0 km/h", 2000));
                assertThat(new SqlAlerts(pool.dataSource(), table, name).latest(5)).as("a second instance reads the same table").hasSize(2);
            } finally {
                try (Connection c = pool.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aTableNameThatIsNotPlainSqlIsRefusedWithTheSetting() {
        assertThatThrownBy(() -> new SqlAlerts(null, "alerts; drop table x", "db"))
                .hasMessageContaining("ALERTS_TABLE 'alerts; drop table x' is not a table name");
    }
}
