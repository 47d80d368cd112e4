package io.routemq.jobs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code jobs:} section of {@code routemq.yaml}, and the schema it is bound into: which driver stores the jobs,
 * which queues this process works and how many jobs of each it runs at once, and the polling and lease settings.
 * ({@code queue:} stays the sinks' durable queue.)
 *
 * <pre>{@code
 * jobs:
 *   driver: redis            # local (default) | redis | database
 *   queues: { default: 4, mail: 2 }
 *   pollInterval: 1s
 *   lease: 60s
 * }</pre>
 *
 * @param driver          where jobs are stored
 * @param queues          the queues this process works, each with its concurrency (jobs at once, 1..1000); empty:
 *                        {@code default} with 4. Jobs can be dispatched to any queue
 * @param workers         whether this process runs workers (default true); false: it only dispatches, and
 *                        {@code routemq jobs work} runs them (redis and database drivers)
 * @param pollInterval    how often an idle worker looks for jobs, and so how late a delayed job may start at most
 *                        beyond its time (default 1 s, 10 ms..1 min)
 * @param lease           how long a running job stays reserved before another worker may take it over as the job
 *                        of a dead worker; running workers renew it (default 60 s, at least 1 s)
 * @param shutdownTimeout how long a stopping worker waits for running jobs before it releases them (default 30 s)
 * @param dir             the local driver's directory (default {@code data/jobs})
 * @param keyPrefix       the redis driver's key prefix (default {@code routemq:jobs:})
 * @param tablePrefix     the database driver's table prefix (default {@code routemq_})
 */
public record JobsConfig(Driver driver, Map<String, Integer> queues, boolean workers, Duration pollInterval,
                         Duration lease, Duration shutdownTimeout, Path dir, String keyPrefix, String tablePrefix) {

    /** Where jobs are stored. */
    public enum Driver {
        /** An embedded store in the app's directory; workers run in the app process. */
        LOCAL,
        /** Redis streams with consumer groups (the {@code redis:} section). */
        REDIS,
        /** PostgreSQL or MariaDB tables (the {@code database:} section). */
        DATABASE
    }

    /** Validates; messages name the key under {@code jobs:}. */
    public JobsConfig {
        Objects.requireNonNull(driver, "jobs driver");
        Objects.requireNonNull(pollInterval, "jobs pollInterval");
        Objects.requireNonNull(lease, "jobs lease");
        Objects.requireNonNull(shutdownTimeout, "jobs shutdownTimeout");
        Objects.requireNonNull(dir, "jobs dir");
        Objects.requireNonNull(keyPrefix, "jobs keyPrefix");
        Objects.requireNonNull(tablePrefix, "jobs tablePrefix");
        queues = queues == null || queues.isEmpty() ? Map.of(JobOptions.DEFAULT_QUEUE, 4) : Map.copyOf(new LinkedHashMap<>(queues));
        for (Map.Entry<String, Integer> q : queues.entrySet()) {
            checkQueueName(q.getKey(), "jobs queues");
            if (q.getValue() == null || q.getValue() < 1 || q.getValue() > 1000) {
                throw new IllegalArgumentException("jobs queues." + q.getKey() + ": the concurrency must be between 1 and 1000, got " + q.getValue());
            }
        }
        if (pollInterval.toMillis() < 10 || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("jobs pollInterval must be between 10ms and 1m, got " + pollInterval);
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("jobs lease must be at least 1s, got " + lease);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("jobs shutdownTimeout must not be negative, got " + shutdownTimeout);
        }
        if (!tablePrefix.matches("[A-Za-z_][A-Za-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("jobs tablePrefix must be letters, digits and '_' (at most 31), got '" + tablePrefix + "'");
        }
    }

    /** Checks a queue name: 1-100 letters, digits, '-', '_' or '.'. */
    static void checkQueueName(String name, String where) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new IllegalArgumentException(where + ": a queue name is 1-100 letters, digits, '-', '_' or '.', got '" + name + "'");
        }
    }

    /** A builder with the defaults (local driver). */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: the local driver in {@code data/jobs}, queue {@code default} with 4 workers. */
    public static JobsConfig defaults() {
        return builder().build();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder().driver(driver).workers(workers).pollInterval(pollInterval).lease(lease)
                .shutdownTimeout(shutdownTimeout).dir(dir).keyPrefix(keyPrefix).tablePrefix(tablePrefix);
        b.queues.putAll(queues);
        return b;
    }

    /** Builder of {@link JobsConfig}. */
    public static final class Builder {
        private Driver driver = Driver.LOCAL;
        private final Map<String, Integer> queues = new LinkedHashMap<>();
        private boolean workers = true;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration lease = Duration.ofSeconds(60);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Path dir = Path.of("data", "jobs");
        private String keyPrefix = "routemq:jobs:";
        private String tablePrefix = "routemq_";

        private Builder() {
        }

        /** @param driver where jobs are stored @return this */
        public Builder driver(Driver driver) {
            this.driver = driver;
            return this;
        }

        /** Works a queue with this many jobs at once. @return this */
        public Builder queue(String name, int concurrency) {
            queues.put(name, concurrency);
            return this;
        }

        /** @param workers whether this process runs workers @return this */
        public Builder workers(boolean workers) {
            this.workers = workers;
            return this;
        }

        /** @param pollInterval idle poll interval @return this */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** @param lease reservation lease @return this */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /** @param shutdownTimeout wait for running jobs on stop @return this */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /** @param dir the local driver's directory @return this */
        public Builder dir(Path dir) {
            this.dir = dir;
            return this;
        }

        /** @param keyPrefix the redis driver's key prefix @return this */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** @param tablePrefix the database driver's table prefix @return this */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** @return the validated configuration */
        public JobsConfig build() {
            return new JobsConfig(driver, queues, workers, pollInterval, lease, shutdownTimeout, dir, keyPrefix, tablePrefix);
        }
    }
}
