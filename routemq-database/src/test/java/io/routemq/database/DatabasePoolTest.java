package io.routemq.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Against the machine's PostgreSQL (5432) and MariaDB (3306); each case is skipped with the reason where absent. */
class DatabasePoolTest {

    @ParameterizedTest
    @CsvSource({"jdbc:postgresql://127.0.0.1:5432/test,postgres,5432,POSTGRESQL",
            "jdbc:mariadb://127.0.0.1:3306/test,root,3306,MARIADB"})
    void poolsConnectionsToTheConfiguredDatabase(String url, String user, int port, SqlDialect dialect) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            assumeTrue(s.isConnected());
        } catch (Exception e) {
            assumeTrue(false, "no database on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
        }
        try (DatabasePool pool = DatabasePool.open(DatabaseConfig.builder(url).username(user).maxPoolSize(2).build())) {
            assertThat(pool.dialect()).isEqualTo(dialect);
            for (int i = 0; i < 3; i++) {
                try (Connection c = pool.dataSource().getConnection(); ResultSet rs = c.createStatement()
                        .executeQuery("SELECT 40 + 2")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(42);
                }
            }
        }
    }

    @Test
    void downDatabaseFailsOnUseAfterTheTimeout() {
        DatabaseConfig config = DatabaseConfig.builder("jdbc:postgresql://127.0.0.1:1/test")
                .connectionTimeout(Duration.ofMillis(300)).build();
        try (DatabasePool pool = DatabasePool.open(config)) {
            assertThatThrownBy(() -> pool.dataSource().getConnection()).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void badConfigNamesTheKeyAndHidesThePassword() {
        assertThatThrownBy(() -> DatabaseConfig.builder("postgresql://h/db").build())
                .hasMessageContaining("database url must be a JDBC URL");
        assertThatThrownBy(() -> DatabaseConfig.builder("jdbc:postgresql://h/db").maxPoolSize(0).build())
                .hasMessageContaining("maxPoolSize");
        assertThatThrownBy(() -> DatabaseConfig.builder("jdbc:postgresql://h/db").minIdle(11).build())
                .hasMessageContaining("minIdle");
        DatabaseConfig c = DatabaseConfig.builder("jdbc:postgresql://h/db?user=a&password=secret").password("pw").build();
        assertThat(c.toString()).doesNotContain("secret").doesNotContain("pw,");
    }
}
