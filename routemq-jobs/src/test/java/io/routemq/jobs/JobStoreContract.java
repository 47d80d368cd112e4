package io.routemq.jobs;

import io.routemq.jobs.internal.JobCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link JobStore} driver passes, run per driver against the real store: jobs run once, never
 * before their time, retried then failed as configured, unknown or undecodable jobs kept as failed jobs, four workers
 * sharing a queue with injected failures, a worker killed with SIGKILL mid-job losing nothing, and a stopping
 * worker releasing its running job.
 *
 * <p>The many-jobs case runs {@code -Djobs.contract.jobs} jobs (default 200, so that the suite stays fast);
 * docs/jobs.md quotes a run with 10,000.
 */
abstract class JobStoreContract {
    static final int MANY = Integer.getInteger("jobs.contract.jobs", 200);

    @TempDir
    Path tmp;

    /** The driver's part of the config (driver, dir / key prefix / table prefix). */
    abstract JobsConfig.Builder driver(JobsConfig.Builder b);

    /** A store for one worker process; local: the one store of this process. */
    abstract JobStore openStore(JobsConfig config);

    /** Whether every worker shares one store (local: one process). */
    boolean oneStorePerProcess() {
        return false;
    }

    /** The arguments of {@link ChildWorker} after the driver's name. */
    abstract List<String> childArgs(JobsConfig config);

    JobsConfig config;
    JobStore store;
    Jobs jobs;
    String queue;
    final List<JobWorkers> workers = new ArrayList<>();
    final List<JobStore> extraStores = new ArrayList<>();

    @BeforeEach
    void open() {
        config = driver(JobsConfig.builder().pollInterval(Duration.ofMillis(20)).lease(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(5))).build();
        store = openStore(config);
        jobs = new Jobs(store);
        queue = "q" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void close() throws InterruptedException {
        for (JobWorkers w : workers) w.shutdown(Duration.ofSeconds(2));
        for (JobStore s : extraStores) s.close();
        if (store != null) store.close();
    }

    JobWorkers startWorkers(JobStore on, int concurrency) {
        JobFactory inject = (type, data, json) -> {
            Job job = JobFactory.DEFAULT.create(type, data, json);
            if (job instanceof TestJobs.WithDependency w) w.greeter = () -> "hello";
            return job;
        };
        JobWorkers w = new JobWorkers(on, config, Map.of(queue, concurrency), inject, JobCodec.defaultMapper()).start();
        workers.add(w);
        return w;
    }

    QueueStats stats() {
        return store.stats(List.of(queue)).stream().filter(s -> s.queue().equals(queue)).findFirst().orElseThrow();
    }

    static String runId() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aDispatchedJobRunsOnceAndIsGone() throws Exception {
        String id = runId();
        TestJobs.Run run = TestJobs.run(id, 2);
        String first = jobs.dispatch(new TestJobs.Counting(id, 0, 0, 3)).onQueue(queue).send().get(10, TimeUnit.SECONDS);
        jobs.dispatch(new TestJobs.WithDependency(id, 1)).onQueue(queue).send().get(10, TimeUnit.SECONDS);
        assertThat(first).isNotBlank();
        startWorkers(store, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> run.completed.get() == 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            QueueStats s = stats();
            assertThat(s.ready() + s.delayed() + s.running() + s.failed()).isZero();
        });
        assertThat(run.completions.get(0)).isEqualTo(1);
        assertThat(run.completions.get(1)).as("the factory injected the class job's dependency").isEqualTo(1);
        assertThat(stats().completed()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void delayedJobsNeverRunEarly() throws Exception {
        int n = 20;
        String id = runId();
        TestJobs.Run run = TestJobs.run(id, n);
        long[] due = new long[n];
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Duration delay = Duration.ofMillis(i * 30L);
            due[i] = System.currentTimeMillis() + delay.toMillis();
            sent.add(jobs.dispatch(new TestJobs.Delayed(id, i, due[i])).onQueue(queue).delay(delay).send());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        startWorkers(store, 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> run.completed.get() == n);
        for (int i = 0; i < n; i++) {
            assertThat(run.ranAt[i]).as("job %d ran at or after its time", i).isGreaterThanOrEqualTo(due[i]);
            assertThat(run.completions.get(i)).isEqualTo(1);
        }
    }

    @Test
    void failingJobsAreRetriedThenKeptAsFailedJobs() throws Exception {
        String id = runId();
        TestJobs.Run run = TestJobs.run(id, 2);
        String jobId = jobs.dispatch(new TestJobs.Counting(id, 0, 99, 3)).onQueue(queue).send().get(10, TimeUnit.SECONDS);
        startWorkers(store, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> failedOf(queue).size() == 1);
        FailedJob f = failedOf(queue).get(0);
        assertThat(f.id()).isEqualTo(jobId);
        assertThat(f.attempts()).isEqualTo(3);
        assertThat(f.type()).isEqualTo(TestJobs.Counting.class.getName());
        assertThat(f.reason()).contains("injected failure 3");
        assertThat(run.attempts.get(0)).isEqualTo(3);
        assertThat(run.failedHooks.get(0)).isEqualTo(1);

        assertThat(store.retry(jobId)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> run.attempts.get(0) == 6 && failedOf(queue).size() == 1);
        assertThat(failedOf(queue).get(0).attempts()).as("a retried job gets its attempts again").isEqualTo(3);
        assertThat(store.forget(jobId)).isTrue();
        assertThat(store.forget(jobId)).isFalse();
        assertThat(failedOf(queue)).isEmpty();

        jobs.dispatch(new TestJobs.Counting(id, 1, 99, 1)).onQueue(queue).send().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> failedOf(queue).size() == 1);
        assertThat(store.flush()).isGreaterThanOrEqualTo(1);
        assertThat(failedOf(queue)).isEmpty();
    }

    List<FailedJob> failedOf(String q) {
        return store.failed(10_000).stream().filter(f -> f.queue().equals(q)).toList();
    }

    @Test
    void unknownOrUndecodableJobsGoToTheFailedJobsWithTheReason() throws Exception {
        JobCodec codec = new JobCodec(JobCodec.defaultMapper());
        String known = codec.encode("x", queue, new TestJobs.Counting("none", 0, 0, 1));
        String unknown = known.replace(TestJobs.Counting.class.getName(), "com.example.NoSuchJob");
        String newer = known.replace("\"version\":1", "\"version\":9");
        String notAJob = known.replace(TestJobs.Counting.class.getName(), "java.lang.String");
        long now = System.currentTimeMillis();
        store.push("u1-" + now, queue, unknown, Instant.now()).get(10, TimeUnit.SECONDS);
        store.push("u2-" + now, queue, "{this is not json", Instant.now()).get(10, TimeUnit.SECONDS);
        store.push("u3-" + now, queue, newer, Instant.now()).get(10, TimeUnit.SECONDS);
        store.push("u4-" + now, queue, notAJob, Instant.now()).get(10, TimeUnit.SECONDS);
        startWorkers(store, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> failedOf(queue).size() == 4);
        assertThat(failedOf(queue)).extracting(FailedJob::reason).anySatisfy(r -> assertThat(r).contains("unknown job type 'com.example.NoSuchJob'"))
                .anySatisfy(r -> assertThat(r).contains("not valid JSON"))
                .anySatisfy(r -> assertThat(r).contains("version 9, newer"))
                .anySatisfy(r -> assertThat(r).contains("is not a job"));
        assertThat(failedOf(queue)).filteredOn(f -> f.id().equals("u2-" + now)).singleElement()
                .satisfies(f -> assertThat(f.raw()).as("kept unchanged").isEqualTo("{this is not json"));
    }

    @Test
    void fourWorkersRunEveryJobExactlyOnceWithInjectedFailures() throws Exception {
        int n = MANY;
        boolean inject = !Boolean.getBoolean("jobs.contract.noFailures");   // -Djobs.contract.noFailures=true: all succeed
        String id = runId();
        TestJobs.Run run = TestJobs.run(id, n);
        List<CompletableFuture<String>> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int failFirst = !inject ? 0 : i % 50 == 0 ? 99 : i % 10 == 0 ? 1 : 0;   // 2% always fail, 8% fail once
            sent.add(jobs.dispatch(new TestJobs.Counting(id, i, failFirst, 2)).onQueue(queue).send());
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int w = 0; w < 4; w++) {
            JobStore s = store;
            if (!oneStorePerProcess() && w > 0) {
                s = openStore(config);
                extraStores.add(s);
            }
            startWorkers(s, 8);
        }
        int alwaysFail = inject ? (n + 49) / 50 : 0;
        await().atMost(Duration.ofSeconds(120)).until(() -> run.completed.get() == n - alwaysFail && failedOf(queue).size() == alwaysFail);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats().running() == 0);
        int attempts = 0;
        for (int i = 0; i < n; i++) {
            boolean always = inject && i % 50 == 0;
            boolean once = inject && !always && i % 10 == 0;
            assertThat(run.completions.get(i)).as("completions of job %d", i).isEqualTo(always ? 0 : 1);
            assertThat(run.attempts.get(i)).as("attempts of job %d", i).isEqualTo(always || once ? 2 : 1);
            assertThat(run.failedHooks.get(i)).as("failed() of job %d", i).isEqualTo(always ? 1 : 0);
            attempts += run.attempts.get(i);
        }
        QueueStats s = stats();
        assertThat(s.ready() + s.delayed() + s.running()).isZero();
        assertThat(s.failed()).isEqualTo(alwaysFail);
        System.out.printf("jobs contract [%s]: 4 workers, %d jobs%s: %d completed exactly once, %d failed for good after 2 attempts, %d attempts in all%n",
                store.driver(), n, inject ? " (2%% always fail, 8%% fail once)" : " (none fails)", run.completed.get(), alwaysFail, attempts);
    }

    @Test
    void aWorkerKilledWithSigkillMidJobLosesNothing() throws Exception {
        int n = 3;
        String id = runId();
        TestJobs.Run run = TestJobs.run(id, n);
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        for (int i = 0; i < n; i++) jobs.dispatch(new TestJobs.Slow(id, i, markers.toString())).onQueue(queue).send().get(10, TimeUnit.SECONDS);
        if (oneStorePerProcess()) store.close();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), ChildWorker.class.getName(), config.driver().name().toLowerCase()));
        cmd.addAll(childArgs(config));
        cmd.addAll(List.of(queue, Integer.toString(n)));
        long t0 = System.nanoTime();
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                assertThat(child.isAlive()).as("child worker alive; its log: %s", tmp.resolve("child.log")).isTrue();
                try (var files = Files.list(markers)) {
                    return files.count() == n;
                }
            });
        } finally {
            child.destroyForcibly();   // SIGKILL
            child.waitFor(10, TimeUnit.SECONDS);
        }
        if (oneStorePerProcess()) {
            store = openStore(config);
            jobs = new Jobs(store);
        }
        long t1 = System.nanoTime();
        startWorkers(store, n);
        await().atMost(Duration.ofSeconds(30)).until(() -> run.completed.get() == n);
        System.out.printf("kill [%s]: child ran the jobs after %d ms; they ran again %d ms after the kill%n", store.driver(),
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        for (int i = 0; i < n; i++) assertThat(run.completions.get(i)).as("job %d ran again, once", i).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            QueueStats s = stats();
            assertThat(s.ready() + s.delayed() + s.running() + s.failed()).isZero();
        });
    }

    /** Blocks until interrupted. */
    record Blocking(String run) implements Job {
        @Override
        public void handle() throws InterruptedException {
            TestJobs.RUNS.get(run).completed.incrementAndGet();
            Thread.sleep(60_000);
        }
    }

    @Test
    void aStoppingWorkerReleasesItsRunningJobUnrun() throws Exception {
        String id = runId();
        TestJobs.Run run = TestJobs.run(id, 1);
        jobs.dispatch(new Blocking(id)).onQueue(queue).send().get(10, TimeUnit.SECONDS);
        JobWorkers w = startWorkers(store, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> run.completed.get() == 1);
        assertThat(w.shutdown(Duration.ofMillis(200))).as("the job was still running").isFalse();
        assertThat(w.running()).isZero();
        List<Reservation> again = store.reserve(queue, 1, Duration.ofSeconds(5), Duration.ofSeconds(2));
        assertThat(again).singleElement().satisfies(r -> assertThat(r.attempts()).as("the interrupted attempt is not counted").isEqualTo(1));
        store.complete(again.get(0));
        assertThat(Arrays.asList(stats().ready(), stats().running())).containsExactly(0L, 0L);
    }
}
