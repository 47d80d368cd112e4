package io.routemq.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled {@link DataSource} of one RouteMQ process (HikariCP), opened from a {@link DatabaseConfig}.
 *
 * <p>The pool starts on the first {@link #dataSource()} call, so a configured but unused database costs nothing. It
 * does not fail at start when the database is down: taking a connection fails after the configured timeout instead,
 * and works again once the database is back. {@link #close()} waits for borrowed connections to come back, then
 * closes the pool.
 */
public final class DatabasePool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabasePool.class);

    private final DatabaseConfig config;
    private HikariDataSource dataSource;
    private boolean closed;

    private DatabasePool(DatabaseConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * @param config which database, and the pool's size
     * @return the pool, not yet started
     */
    public static DatabasePool open(DatabaseConfig config) {
        return new DatabasePool(config);
    }

    /** @return the configuration this pool was opened with */
    public DatabaseConfig config() {
        return config;
    }

    /** @return the kind of database */
    public SqlDialect dialect() {
        return config.dialect();
    }

    /** @return the pooled data source, started on first use */
    public synchronized DataSource dataSource() {
        if (closed) {
            throw new IllegalStateException("the database pool is closed");
        }
        if (dataSource == null) {
            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName("routemq-db");
            hikari.setJdbcUrl(config.url());
            if (!config.username().isEmpty()) {
                hikari.setUsername(config.username());
            }
            if (!config.password().isEmpty()) {
                hikari.setPassword(config.password());
            }
            hikari.setMaximumPoolSize(config.maxPoolSize());
            hikari.setMinimumIdle(config.minIdle());
            hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
            // Start even when the database is down; connections are made on demand.
            hikari.setInitializationFailTimeout(-1);
            dataSource = new HikariDataSource(hikari);
            LOG.info("Database: {} (pool of at most {})", config.redactedUrl(), config.maxPoolSize());
        }
        return dataSource;
    }

    /** Closes the pool. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
