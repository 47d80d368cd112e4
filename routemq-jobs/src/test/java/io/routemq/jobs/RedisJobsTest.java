package io.routemq.jobs;

import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The contract on the redis driver, against the Redis on 127.0.0.1:6379 (skipped when there is none). */
class RedisJobsTest extends JobStoreContract {
    static final String URI = "redis://127.0.0.1:6379";
    static final String PREFIX = "routemq:test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    static RedisConnections redis;

    @BeforeAll
    static void connect() {
        redis = RedisConnections.open(RedisConfig.builder(URI).build());
        assumeTrue(redis.ping(), "no Redis on " + URI);
    }

    @AfterAll
    static void cleanUp() {
        if (redis == null) return;
        try {
            List<String> keys = redis.shared().sync().keys(PREFIX + "*");
            if (!keys.isEmpty()) redis.shared().sync().del(keys.toArray(String[]::new));
        } finally {
            redis.close();
        }
    }

    @Override
    JobsConfig.Builder driver(JobsConfig.Builder b) {
        return b.driver(JobsConfig.Driver.REDIS).keyPrefix(PREFIX);
    }

    @Override
    JobStore openStore(JobsConfig config) {
        return JobStores.open(config, () -> redis, null);
    }

    @Override
    List<String> childArgs(JobsConfig config) {
        return List.of(PREFIX, URI);
    }
}
