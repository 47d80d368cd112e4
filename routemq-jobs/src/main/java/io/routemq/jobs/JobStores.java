package io.routemq.jobs;

import io.routemq.database.DatabasePool;
import io.routemq.database.SqlDialect;
import io.routemq.jobs.internal.LocalJobStore;
import io.routemq.jobs.internal.RedisJobStore;
import io.routemq.jobs.internal.SqlJobStore;
import io.routemq.jobs.internal.SqlSchema;
import io.routemq.redis.RedisConnections;

import java.util.function.Supplier;

/** Opens the {@link JobStore} the {@code jobs:} section names. */
public final class JobStores {
    private JobStores() {
    }

    /**
     * Opens the store of {@code config.driver()}.
     *
     * @param redis    the process's Redis connections (asked for only by the redis driver; not closed by the store)
     * @param database the process's database pool (asked for only by the database driver; not closed by the store)
     * @throws IllegalStateException when the store cannot be opened (the message says which and why)
     */
    public static JobStore open(JobsConfig config, Supplier<RedisConnections> redis, Supplier<DatabasePool> database) {
        return switch (config.driver()) {
            case LOCAL -> LocalJobStore.open(config.dir());
            case REDIS -> RedisJobStore.open(redis.get(), config.keyPrefix());
            case DATABASE -> {
                DatabasePool pool = database.get();
                yield SqlJobStore.open(pool.dataSource(), pool.dialect(), config.tablePrefix());
            }
        };
    }

    /**
     * The database driver's tables as SQL ({@code routemq jobs schema}): what it creates on first use.
     *
     * @throws IllegalArgumentException for a dialect other than PostgreSQL or MariaDB
     */
    public static String schema(SqlDialect dialect, String tablePrefix) {
        return new SqlSchema(dialect, tablePrefix).text();
    }
}
