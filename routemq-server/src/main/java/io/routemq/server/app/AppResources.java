package io.routemq.server.app;

import io.routemq.database.DatabasePool;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.JobStores;
import io.routemq.jobs.Jobs;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConnections;
import io.routemq.server.services.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared resources an application's components may take: Redis connections and the database pool (the
 * process's one {@link Services}, shared with the gateway's middleware) and the job store ({@link Jobs}). Each is
 * opened only when something takes it (Redis and the database only when their section is configured). {@link #close()}
 * runs after the components: the job store first, then the Redis or database it stores jobs in.
 *
 * <p>To check an app ({@code routemq check}, {@code routemq routes}), {@link #checkOnly()} resources hand out a
 * {@link Jobs} whose store opens nothing (no {@code data/jobs} directory) and refuses to be used.
 */
final class AppResources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppResources.class);

    private final Services services;
    private final JobsConfig jobsConfig;
    private final boolean checkOnly;
    private JobStore store;
    private Jobs jobs;

    /**
     * @param services   Redis and the database of this process (closed by {@link #close()})
     * @param jobsConfig the {@code jobs:} section, or null when there is none (then the defaults: local driver)
     * @param checkOnly  whether the app is built to be checked only: the job store is never opened
     */
    AppResources(Services services, JobsConfig jobsConfig, boolean checkOnly) {
        this.services = services;
        this.jobsConfig = jobsConfig;
        this.checkOnly = checkOnly;
    }

    /** Redis and the database of this process. */
    Services services() {
        return services;
    }

    /** The {@code jobs:} section, or the defaults when there is none. */
    JobsConfig jobsConfig() {
        return jobsConfig != null ? jobsConfig : JobsConfig.defaults();
    }

    /** Whether the config has a {@code jobs:} section. */
    boolean jobsConfigured() {
        return jobsConfig != null;
    }

    /** The jobs, on the store the {@code jobs:} section names (Redis or the database of this process), opened on first use. */
    synchronized Jobs jobs() {
        if (jobs == null) {
            JobsConfig c = jobsConfig();
            if (checkOnly) {
                jobs = new Jobs(new CheckOnlyJobStore(c.driver().name().toLowerCase(java.util.Locale.ROOT)));
                return jobs;
            }
            store = JobStores.open(c, () -> services.redis("jobs.driver redis"), () -> services.database("jobs.driver database"));
            jobs = new Jobs(store);
            log.info("jobs: {} driver{}", store.driver(), c.driver() == JobsConfig.Driver.LOCAL ? " in " + c.dir() : "");
        }
        return jobs;
    }

    /** Whether the job store was opened (a component took {@link Jobs}, or workers run). */
    synchronized boolean jobsOpened() {
        return jobs != null;
    }

    /** The Redis connections for a component, opened on first use. */
    RedisConnections redis() {
        return services.redis("a component of the app");
    }

    /** The database pool for a component, opened on first use. */
    DatabasePool database() {
        return services.database("a component of the app");
    }

    /** Closes the job store, then Redis and the database pool (last opened first). */
    @Override
    public synchronized void close() {
        try {
            if (store != null) store.close();
        } catch (RuntimeException e) {
            log.warn("closing the job store: {}", e.toString());
        } finally {
            store = null;
            services.close();
        }
    }
}
