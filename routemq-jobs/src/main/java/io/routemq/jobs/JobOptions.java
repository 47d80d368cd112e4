package io.routemq.jobs;

import io.routemq.core.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * How a kind of job is run: returned by {@link Job#options()}.
 *
 * @param queue       the queue it goes to unless the dispatch names another (default {@code default})
 * @param maxAttempts how many times it is tried before it goes to the failed jobs (default 3, at least 1); an
 *                    attempt whose worker died (killed, lost its lease) counts
 * @param backoff     the pause before a retry, after attempt {@code n} failed (default 1s doubling to 5 min, 20%
 *                    jitter around the delay)
 * @param timeout     how long one attempt may run before it is interrupted and counted as failed (default 60 s)
 * @param version     the version of the job's JSON form, stored with it; a worker refuses (fails) a stored job
 *                    whose version is newer than its own code's (default 1)
 */
public record JobOptions(String queue, int maxAttempts, Backoff backoff, Duration timeout, int version) {

    /** The default queue's name. */
    public static final String DEFAULT_QUEUE = "default";

    /** The defaults. */
    public static final JobOptions DEFAULTS = builder().build();

    /** Validates; messages name the option. */
    public JobOptions {
        JobsConfig.checkQueueName(queue, "job queue");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(timeout, "timeout");
        if (maxAttempts < 1) throw new IllegalArgumentException("job maxAttempts must be at least 1, got " + maxAttempts);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("job timeout must be positive, got " + timeout);
        if (version < 1) throw new IllegalArgumentException("job version must be at least 1, got " + version);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link JobOptions}. */
    public static final class Builder {
        private String queue = DEFAULT_QUEUE;
        private int maxAttempts = 3;
        private Backoff backoff = Backoff.builder().initial(Duration.ofSeconds(1)).max(Duration.ofMinutes(5))
                .multiplier(2).jitter(0.2).build();
        private Duration timeout = Duration.ofSeconds(60);
        private int version = 1;

        private Builder() {
        }

        /** @param queue the queue @return this */
        public Builder queue(String queue) {
            this.queue = queue;
            return this;
        }

        /** @param maxAttempts tries before failing for good @return this */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** @param backoff the pause before each retry @return this */
        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** @param timeout the longest one attempt may run @return this */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @param version the version of the job's JSON form @return this */
        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** @return the options */
        public JobOptions build() {
            return new JobOptions(queue, maxAttempts, backoff, timeout, version);
        }
    }
}
