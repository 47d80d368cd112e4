package io.routemq.server.app;

import io.routemq.database.DatabaseConfig;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConfig;
import io.routemq.server.config.GatewayConfig;

/**
 * The config's {@code redis:}, {@code database:} and {@code jobs:} sections for the app's components: the one place the runtime
 * reads them from the config model.
 */
public final class AppSections {
    private AppSections() {
    }

    /** The {@code redis:} section, or null when the config has none. */
    public static RedisConfig redis(GatewayConfig config) {
        return config.redis();
    }

    /** The {@code database:} section, or null when the config has none. */
    public static DatabaseConfig database(GatewayConfig config) {
        return config.database();
    }

    /** The {@code jobs:} section, or null when the config has none. */
    public static JobsConfig jobs(GatewayConfig config) {
        return config.jobs();
    }
}
