package io.routemq.jobs.internal;

import io.routemq.database.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database driver's tables, as numbered migrations recorded in {@code <prefix>jobs_migrations}. Every statement
 * is idempotent ({@code IF NOT EXISTS}), so two processes migrating at once both succeed.
 */
public final class SqlSchema {
    private final SqlDialect dialect;
    private final String p;

    /** The schema for a dialect and a table prefix. */
    public SqlSchema(SqlDialect dialect, String prefix) {
        if (dialect != SqlDialect.POSTGRESQL && dialect != SqlDialect.MARIADB) {
            throw new IllegalArgumentException("the jobs database driver needs PostgreSQL or MariaDB (jdbc:postgresql: or jdbc:mariadb:)");
        }
        this.dialect = dialect;
        this.p = prefix;
    }

    /** Migration 1: the statements, in order. */
    public List<String> migration1() {
        String text = dialect == SqlDialect.POSTGRESQL ? "TEXT" : "LONGTEXT";
        String engine = dialect == SqlDialect.MARIADB ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : "";
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + p + "jobs (\n"
                        + "  id           VARCHAR(64)  NOT NULL PRIMARY KEY,\n"
                        + "  queue        VARCHAR(100) NOT NULL,\n"
                        + "  payload      " + text + " NOT NULL,\n"
                        + "  attempts     INT          NOT NULL,\n"
                        + "  available_at BIGINT       NOT NULL,\n"
                        + "  reserved_by  VARCHAR(64),\n"
                        + "  created_at   BIGINT       NOT NULL\n"
                        + ")" + engine,
                "CREATE INDEX IF NOT EXISTS " + p + "jobs_queue_available ON " + p + "jobs (queue, available_at)",
                "CREATE TABLE IF NOT EXISTS " + p + "failed_jobs (\n"
                        + "  id        VARCHAR(64)  NOT NULL PRIMARY KEY,\n"
                        + "  queue     VARCHAR(100) NOT NULL,\n"
                        + "  type      VARCHAR(500) NOT NULL,\n"
                        + "  payload   " + text + " NOT NULL,\n"
                        + "  attempts  INT          NOT NULL,\n"
                        + "  reason    " + text + " NOT NULL,\n"
                        + "  failed_at BIGINT       NOT NULL\n"
                        + ")" + engine,
                "CREATE TABLE IF NOT EXISTS " + p + "job_counts (\n"
                        + "  queue  VARCHAR(100) NOT NULL,\n"
                        + "  worker VARCHAR(64)  NOT NULL,\n"
                        + "  done   BIGINT       NOT NULL,\n"
                        + "  PRIMARY KEY (queue, worker)\n"
                        + ")" + engine);
    }

    /** The whole schema as SQL text, with the migration table ({@code routemq jobs schema}). */
    public String text() {
        StringBuilder b = new StringBuilder("-- RouteMQ jobs, database driver (" + (dialect == SqlDialect.POSTGRESQL ? "PostgreSQL" : "MariaDB")
                + "): migration 1, applied on first use\n");
        b.append(migrationsTable()).append(";\n");
        for (String s : migration1()) b.append(s).append(";\n");
        b.append("INSERT INTO ").append(p).append("jobs_migrations (version, applied_at) VALUES (1, <now in ms>);\n");
        return b.toString();
    }

    private String migrationsTable() {
        return "CREATE TABLE IF NOT EXISTS " + p + "jobs_migrations (version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)";
    }

    /** Applies the migrations this database lacks. */
    void migrate(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(migrationsTable());
            int have = 0;
            try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + p + "jobs_migrations")) {
                if (rs.next()) have = rs.getInt(1);
            }
            if (have >= 1) return;
            for (String s : migration1()) st.execute(s);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + p + "jobs_migrations (version, applied_at) VALUES (1, ?)")) {
                ps.setLong(1, System.currentTimeMillis());
                ps.executeUpdate();
            } catch (SQLException e) {
                // another process recorded it first
            }
        }
    }

    void upsertCount(Connection c, String queue, String worker, long done) throws SQLException {
        String sql = dialect == SqlDialect.POSTGRESQL
                ? "INSERT INTO " + p + "job_counts (queue, worker, done) VALUES (?, ?, ?) ON CONFLICT (queue, worker) DO UPDATE SET done = EXCLUDED.done"
                : "INSERT INTO " + p + "job_counts (queue, worker, done) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE done = VALUES(done)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, queue);
            ps.setString(2, worker);
            ps.setLong(3, done);
            ps.executeUpdate();
        }
    }
}
