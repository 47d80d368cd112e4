package io.routemq.jobs;

import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The worker process the SIGKILL test starts and kills:
 * {@code ChildWorker <local|redis|database> <dir|keyPrefix|tablePrefix> <url> <queue> <concurrency>}.
 */
public final class ChildWorker {
    private ChildWorker() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("jobs.child", "true");
        String driver = args[0];
        JobsConfig.Builder b = JobsConfig.builder().pollInterval(Duration.ofMillis(20)).lease(Duration.ofSeconds(1));
        RedisConnections redis = null;
        DatabasePool db = null;
        switch (driver) {
            case "local" -> b.driver(JobsConfig.Driver.LOCAL).dir(Path.of(args[1]));
            case "redis" -> {
                b.driver(JobsConfig.Driver.REDIS).keyPrefix(args[1]);
                redis = RedisConnections.open(RedisConfig.builder(args[2]).build());
            }
            default -> {
                b.driver(JobsConfig.Driver.DATABASE).tablePrefix(args[1]);
                DatabaseConfig.Builder d = DatabaseConfig.builder(args[2]);
                if (args[2].contains("postgresql")) d.username("postgres");
                else d.username("root");
                db = DatabasePool.open(d.build());
            }
        }
        JobsConfig config = b.build();
        RedisConnections r = redis;
        DatabasePool d = db;
        JobStore store = JobStores.open(config, () -> r, () -> d);
        new JobWorkers(store, config, Map.of(args[3], Integer.parseInt(args[4]))).start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
