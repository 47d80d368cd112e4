package io.routemq.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.api.StatefulRedisConnection;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against the machine's Redis on 6379; skipped with the reason where it is absent. */
class RedisConnectionsTest {

    private static void assumeRedis() {
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            assumeTrue(s.isConnected());
        } catch (Exception e) {
            assumeTrue(false, "no Redis on 127.0.0.1:6379 (" + e.getMessage() + "): start redis-server to run this test");
        }
    }

    @Test
    void sharedConnectionWorksWhileADedicatedOneBlocks() throws Exception {
        assumeRedis();
        String key = "routemq-test:" + UUID.randomUUID();
        try (RedisConnections redis = RedisConnections.open(RedisConfig.defaults())) {
            StatefulRedisConnection<String, String> blocking = redis.dedicated();
            CompletableFuture<?> popped = blocking.async().blpop(5, key + ":list").toCompletableFuture();
            redis.shared().sync().set(key, "v");
            assertThat(redis.shared().sync().get(key)).isEqualTo("v");
            assertThat(popped).isNotDone();
            redis.shared().sync().rpush(key + ":list", "x");
            assertThat(popped.get(5, TimeUnit.SECONDS)).hasToString("KeyValue[" + key + ":list, x]");
            assertThat(redis.ping()).isTrue();
            redis.shared().sync().del(key, key + ":list");
        }
    }

    @Test
    void unreachableRedisFailsOnUseNotOnOpen() {
        RedisConfig config = RedisConfig.builder("redis://127.0.0.1:1").connectTimeout(Duration.ofMillis(300)).build();
        try (RedisConnections redis = RedisConnections.open(config)) {
            assertThat(redis.ping()).isFalse();
        }
    }

    @Test
    void badConfigNamesTheKeyAndHidesThePassword() {
        assertThatThrownBy(() -> RedisConfig.builder("http://127.0.0.1:6379").build())
                .hasMessageContaining("redis uri must start with redis://");
        assertThatThrownBy(() -> RedisConfig.builder("redis://u:secret@").build())
                .hasMessageContaining("redis uri").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RedisConfig.builder("redis://h").commandTimeout(Duration.ZERO).build())
                .hasMessageContaining("commandTimeout");
        assertThat(RedisConfig.builder("redis://u:secret@h:6379/2").build().toString()).doesNotContain("secret");
    }
}
