package io.routemq.bench.jobs;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.jobs.Job;
import io.routemq.jobs.JobStore;
import io.routemq.jobs.JobStores;
import io.routemq.jobs.JobWorkers;
import io.routemq.jobs.Jobs;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The jobs bench (not a test): per driver, jobs/s dispatched and completed, beside the raw store's own rate in the
 * same run (Redis XADD / XREADGROUP+XACK, a plain SQL INSERT / DELETE), and the lateness of delayed jobs (p50/p99).
 *
 * <pre>
 * routemq-bench/run-jobs.sh [--jobs 20000] [--sql-jobs 5000] [--threads 16] [--drivers local,redis,postgresql,mariadb]
 * </pre>
 * Dispatch: {@code --threads} threads each send their share, one at a time, waiting until stored. Completion: one
 * worker process with {@code --threads} concurrency on one queue. Raw: the same threads doing the store's bare
 * operation. Lateness: 2,000 jobs with delays of 0-2 s, pollInterval 100 ms.
 */
public final class JobsBench {
    /** Counts completions and lateness (bench-wide, like the bench's other counters). */
    static final LongAdder DONE = new LongAdder();
    static final Histogram LATE = new ConcurrentHistogram(3_600_000L, 3);

    /** A job that does nothing but count; {@code dueAt} > 0 records its lateness. */
    public record Noop(long dueAt) implements Job {
        @Override
        public void handle() {
            if (dueAt > 0) LATE.recordValue(Math.max(0, System.currentTimeMillis() - dueAt));
            DONE.increment();
        }
    }

    private JobsBench() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = 20_000;
        int sqlJobs = 5_000;
        int threads = 16;
        List<String> drivers = List.of("local", "redis", "postgresql", "mariadb");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--sql-jobs" -> sqlJobs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--drivers" -> drivers = List.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: JobsBench [--jobs N] [--sql-jobs N] [--threads N] [--drivers local,redis,postgresql,mariadb]");
                    System.exit(2);
                }
            }
        }
        System.out.printf("jobs bench: %d jobs (%d on SQL), %d threads, %d cores, Java %s%n", jobs, sqlJobs, threads,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.println("| driver | dispatched jobs/s | completed jobs/s | raw store: write/s | raw store: take+ack/s | delayed lateness p50 / p99 |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String d : drivers) {
            try {
                run(d, d.equals("postgresql") || d.equals("mariadb") ? sqlJobs : jobs, threads);
            } catch (Exception e) {
                System.out.println("| " + d + " | skipped: " + e + " | | | | |");
            }
        }
    }

    private static void run(String driver, int n, int threads) throws Exception {
        String queue = "bench" + UUID.randomUUID().toString().substring(0, 6);
        JobsConfig.Builder b = JobsConfig.builder().pollInterval(Duration.ofMillis(100)).lease(Duration.ofSeconds(30));
        RedisConnections redis = null;
        DatabasePool db = null;
        Path dir = null;
        String prefix = "bench" + UUID.randomUUID().toString().substring(0, 6) + "_";
        switch (driver) {
            case "local" -> {
                dir = Files.createTempDirectory("jobs-bench");
                b.driver(JobsConfig.Driver.LOCAL).dir(dir);
            }
            case "redis" -> {
                redis = RedisConnections.open(RedisConfig.defaults());
                if (!redis.ping()) throw new IllegalStateException("no Redis on 127.0.0.1:6379");
                b.driver(JobsConfig.Driver.REDIS).keyPrefix("routemq:bench:" + prefix);
            }
            default -> {
                String url = driver.equals("postgresql") ? "jdbc:postgresql://127.0.0.1:5432/test" : "jdbc:mariadb://127.0.0.1:3306/test";
                db = DatabasePool.open(DatabaseConfig.builder(url).username(driver.equals("postgresql") ? "postgres" : "root")
                        .maxPoolSize(threads + 8).build());
                b.driver(JobsConfig.Driver.DATABASE).tablePrefix(prefix);
            }
        }
        JobsConfig config = b.build();
        RedisConnections r = redis;
        DatabasePool p = db;
        try (JobStore store = JobStores.open(config, () -> r, () -> p)) {
            Jobs jobs = new Jobs(store);
            // dispatch
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            parallel(threads, () -> {
                while (next.getAndIncrement() < n) jobs.dispatch(new Noop(0)).onQueue(queue).send().join();
            });
            double dispatched = n / seconds(t0);
            // complete
            DONE.reset();
            long t1 = System.nanoTime();
            JobWorkers w = new JobWorkers(store, config, Map.of(queue, threads)).start();
            while (DONE.sum() < n) Thread.sleep(2);
            double completed = n / seconds(t1);
            // lateness
            LATE.reset();
            DONE.reset();
            int delayed = 2_000;
            for (int i = 0; i < delayed; i++) {
                long delay = ThreadLocalRandom.current().nextLong(2_000);
                jobs.dispatch(new Noop(System.currentTimeMillis() + delay)).onQueue(queue).delay(Duration.ofMillis(delay)).send().join();
            }
            while (DONE.sum() < delayed) Thread.sleep(5);
            w.shutdown(Duration.ofSeconds(5));
            String late = LATE.getValueAtPercentile(50) + " / " + LATE.getValueAtPercentile(99) + " ms";
            // the raw store, same threads
            double[] raw = switch (driver) {
                case "local" -> new double[]{Double.NaN, Double.NaN};
                case "redis" -> rawRedis(redis, "routemq:bench:" + prefix + "raw", n, threads);
                default -> rawSql(db, prefix + "raw", n, threads);
            };
            System.out.printf("| %s | %,.0f | %,.0f | %s | %s | %s |%n", driver, dispatched, completed, fmt(raw[0]), fmt(raw[1]), late);
        } finally {
            if (redis != null) {
                List<String> keys = redis.shared().sync().keys("routemq:bench:" + prefix + "*");
                if (!keys.isEmpty()) redis.shared().sync().del(keys.toArray(String[]::new));
                redis.close();
            }
            if (db != null) {
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                    for (String t : new String[]{"jobs", "failed_jobs", "job_counts", "jobs_migrations", "raw"}) st.execute("DROP TABLE IF EXISTS " + prefix + t);
                }
                db.close();
            }
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.0f", v);
    }

    private static double[] rawRedis(RedisConnections redis, String key, int n, int threads) throws Exception {
        var sync = redis.shared().sync();
        sync.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g", XGroupCreateArgs.Builder.mkstream());
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        parallel(threads, () -> {
            while (next.getAndIncrement() < n) sync.xadd(key, Map.of("job", "{\"id\":\"x\",\"data\":{}}", "a", "0"));
        });
        double write = n / seconds(t0);
        AtomicInteger taken = new AtomicInteger();
        long t1 = System.nanoTime();
        parallel(threads, () -> {
            var conn = redis.dedicated();
            Consumer<String> me = Consumer.from("g", UUID.randomUUID().toString());
            while (taken.get() < n) {
                List<StreamMessage<String, String>> got = conn.sync().xreadgroup(me, XReadArgs.Builder.count(threads).block(50),
                        XReadArgs.StreamOffset.lastConsumed(key));
                for (StreamMessage<String, String> m : got) {
                    sync.xack(key, "g", m.getId());
                    sync.xdel(key, m.getId());
                    taken.incrementAndGet();
                }
            }
            conn.close();
        });
        return new double[]{write, n / seconds(t1)};
    }

    private static double[] rawSql(DatabasePool db, String table, int n, int threads) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id VARCHAR(64) NOT NULL PRIMARY KEY, queue VARCHAR(100) NOT NULL, payload TEXT NOT NULL)");
        }
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        parallel(threads, () -> {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, queue, payload) VALUES (?, 'q', '{\"id\":\"x\",\"data\":{}}')")) {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    ps.setString(1, "id" + i);
                    ps.executeUpdate();
                }
            }
        });
        double write = n / seconds(t0);
        AtomicInteger del = new AtomicInteger();
        long t1 = System.nanoTime();
        parallel(threads, () -> {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                int i;
                while ((i = del.getAndIncrement()) < n) {
                    ps.setString(1, "id" + i);
                    ps.executeUpdate();
                }
            }
        });
        return new double[]{write, n / seconds(t1)};
    }

    interface Body {
        void run() throws Exception;
    }

    private static void parallel(int threads, Body body) throws InterruptedException {
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < threads; i++) {
            ts.add(Thread.ofVirtual().start(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        for (Thread t : ts) t.join();
        if (!errors.isEmpty()) throw new IllegalStateException(errors.get(0));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
