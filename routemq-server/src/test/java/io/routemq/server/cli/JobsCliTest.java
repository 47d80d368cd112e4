package io.routemq.server.cli;

import io.routemq.jobs.Job;
import io.routemq.jobs.JobOptions;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.JobStores;
import io.routemq.jobs.JobWorkers;
import io.routemq.jobs.Jobs;
import io.routemq.jobs.JobsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.routemq.server.cli.RouteMqCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code routemq jobs} on the local driver: failed, retry, forget, flush, stats, schema, and its errors. */
class JobsCliTest {
    @TempDir
    Path dir;

    /** Always refused. */
    public record Refused(String to) implements Job {
        @Override
        public void handle() {
            throw new IllegalStateException("554 relay denied for " + to);
        }

        @Override
        public JobOptions options() {
            return JobOptions.builder().maxAttempts(1).build();
        }
    }

    @Test
    void failedJobsAreListedRetriedForgottenAndFlushed() throws Exception {
        Path config = Files.writeString(dir.resolve("routemq.yaml"), "jobs:\n  dir: " + dir.resolve("jobs") + "\n  queues: { default: 1 }\n");
        JobsConfig jobsConfig = JobsConfig.builder().dir(dir.resolve("jobs")).pollInterval(Duration.ofMillis(20)).build();
        String first;
        try (JobStore store = JobStores.open(jobsConfig, null, null)) {
            Jobs jobs = new Jobs(store);
            first = jobs.dispatch(new Refused("ops@example.com")).send().get();
            jobs.dispatch(new Refused("fleet@example.com")).send().get();
            JobWorkers w = new JobWorkers(store, jobsConfig, Map.of("default", 1)).start();
            await().atMost(Duration.ofSeconds(20)).until(() -> store.failed(10).size() == 2);
            w.shutdown(Duration.ofSeconds(5));
        }
        String c = config.toString();
        RouteMqCliTest.Run failed = run("jobs", "failed", "-c", c);
        assertThat(failed.code()).isZero();
        assertThat(failed.out()).startsWith("ID").contains(first, "default", "JobsCliTest.Refused", "IllegalStateException: 554 relay denied for ops@example.com")
                .contains("2 failed job(s)").doesNotContain("io.routemq");
        RouteMqCliTest.Run stats = run("jobs", "stats", "-c", c, "--interval", "0");
        assertThat(stats.out()).contains("QUEUE", "READY", "FAILED").containsPattern("default +0 +0 +0 +2 +0 +-").contains("local driver");

        assertThat(run("jobs", "retry", first, "-c", c).out()).isEqualTo("retried " + first + "\n");
        RouteMqCliTest.Run missing = run("jobs", "forget", first, "-c", c);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("routemq jobs forget: no failed job '" + first + "' ('routemq jobs failed' lists them)\n");
        assertThat(run("jobs", "stats", "-c", c, "--interval", "0").out()).containsPattern("default +1 +0 +0 +1 ");
        assertThat(run("jobs", "flush", "-c", c).out()).isEqualTo("deleted 1 failed job(s)\n");
        assertThat(run("jobs", "failed", "-c", c).out()).isEqualTo("no failed jobs (local driver)\n");
    }

    @Test
    void errorsNameTheFileLineAndKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "jobs:\n  drivr: redis\n");
        RouteMqCliTest.Run r = run("jobs", "stats", "-c", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        // the one config loader reads jobs: (the same errors as run and check)
        assertThat(r.err()).isEqualTo(bad + ":2:3 jobs.drivr: unknown key 'drivr' (did you mean 'driver'?)\n1 error.\n");
        Path badValues = Files.writeString(dir.resolve("bad2.yaml"), "jobs:\n  driver: nosql\n  queues: { mail: 0 }\n");
        RouteMqCliTest.Run r2 = run("jobs", "stats", "-c", badValues.toString());
        assertThat(r2.code()).isEqualTo(1);
        assertThat(r2.err()).contains(badValues + ":2:11 jobs.driver", "nosql").contains(badValues + ":3:19 jobs.queues.mail");
        Path local = Files.writeString(dir.resolve("local.yaml"), "jobs:\n  dir: " + dir.resolve("j") + "\n");
        RouteMqCliTest.Run work = run("jobs", "work", "-c", local.toString());
        assertThat(work.code()).isEqualTo(1);
        assertThat(work.err()).contains("the local driver's jobs are run by the app's own workers");
        assertThat(run("jobs").code()).isEqualTo(2);
    }

    @Test
    void theRedisAndDatabaseDriversNeedTheirSectionReportedAtTheDriverKey() throws Exception {
        // Redis and the database are used only where configured: no silent connection to a local Redis
        Path redis = Files.writeString(dir.resolve("redis.yaml"), "jobs:\n  driver: redis\n");
        RouteMqCliTest.Run r = run("jobs", "stats", "-c", redis.toString(), "--interval", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(redis + ":2:11 jobs.driver 'redis': the redis driver needs a redis: section, and the config has none"
                + " (add one, such as redis: { uri: redis://127.0.0.1:6379 }, or use driver: local)\n1 error.\n");
        Path db = Files.writeString(dir.resolve("db.yaml"), "jobs:\n  driver: database\n");
        RouteMqCliTest.Run d = run("jobs", "failed", "-c", db.toString());
        assertThat(d.code()).isEqualTo(1);
        assertThat(d.err()).contains(db + ":2:11 jobs.driver 'database': the database driver needs a database: section",
                "database: { url: jdbc:postgresql://127.0.0.1:5432/app }");
        RouteMqCliTest.Run check = run("check", "-c", redis.toString());
        assertThat(check.code()).as("check refuses it too").isEqualTo(1);
        assertThat(check.err()).contains(redis + ":2:11 jobs.driver 'redis': the redis driver needs a redis: section");
    }

    @Test
    void schemaPrintsTheMigrationForEitherDialect() {
        RouteMqCliTest.Run pg = run("jobs", "schema", "--dialect", "postgresql");
        assertThat(pg.code()).isZero();
        assertThat(pg.out()).contains("CREATE TABLE IF NOT EXISTS routemq_jobs (", "payload      TEXT NOT NULL",
                "CREATE INDEX IF NOT EXISTS routemq_jobs_queue_available", "routemq_failed_jobs", "routemq_jobs_migrations");
        assertThat(run("jobs", "schema", "--dialect", "mariadb").out()).contains("LONGTEXT", "ENGINE=InnoDB");
        assertThat(run("jobs", "schema").code()).isEqualTo(2);
    }
}
