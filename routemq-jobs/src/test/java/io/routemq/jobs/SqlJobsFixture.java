package io.routemq.jobs;

import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A database for the contract, with its own table prefix (dropped afterwards). */
final class SqlJobsFixture {
    final String url;
    final String user;
    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "_";
    DatabasePool pool;

    SqlJobsFixture(String url, String user) {
        this.url = url;
        this.user = user;
    }

    void open() {
        pool = DatabasePool.open(DatabaseConfig.builder(url).username(user).maxPoolSize(24).build());
        try (Connection c = pool.dataSource().getConnection()) {
            assumeTrue(c.isValid(2), "no database at " + url);
        } catch (Exception e) {
            pool.close();
            pool = null;
            assumeTrue(false, "no database at " + url + " (" + e.getMessage() + ")");
        }
    }

    void drop() {
        if (pool == null) return;
        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : new String[]{"jobs", "failed_jobs", "job_counts", "jobs_migrations"}) st.execute("DROP TABLE IF EXISTS " + prefix + t);
        } catch (Exception e) {
            // best effort
        } finally {
            pool.close();
        }
    }
}
