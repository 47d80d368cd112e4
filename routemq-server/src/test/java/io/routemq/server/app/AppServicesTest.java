package io.routemq.server.app;

import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis and the database for an app's components: a component may take {@code Optional<RedisConnections>},
 * {@code Optional<DatabasePool>} or {@code Optional<DataSource>}, present exactly when the config has the section
 * and empty, without error, when it has none.
 */
class AppServicesTest {

    private static final Map<String, String> OPTIONAL_APP = Map.of("cache.Cache", """
            package cache;
            import io.routemq.core.Router;
            import io.routemq.core.Routes;
            import io.routemq.database.DatabasePool;
            import io.routemq.redis.RedisConnections;
            import java.util.Optional;
            import javax.sql.DataSource;
            @jakarta.inject.Singleton
            public final class Cache implements Routes {
                private final Optional<RedisConnections> redis;
                public Cache(Optional<RedisConnections> redis, Optional<DatabasePool> pool, Optional<DataSource> db) {
                    this.redis = redis;
                    io.routemq.server.app.AppProbe.SEEN.add("redis " + redis.isPresent() + ", pool " + pool.isPresent()
                            + ", dataSource " + db.isPresent());
                    redis.ifPresent(r -> io.routemq.server.app.AppProbe.SEEN.add("ping " + r.shared().sync().ping()));
                }
                @Override
                public void define(Router router) {
                    router.on("apptest/cache/+", ctx -> redis.ifPresent(r -> r.shared().sync().set(ctx.topic(), ctx.text())));
                }
            }
            """);

    private static URLClassLoader optionalApp;

    @BeforeAll
    static void compile(@TempDir Path tmp) throws Exception {
        optionalApp = AppCompiler.compile(tmp.resolve("optional-app"), OPTIONAL_APP);
    }

    @Test
    void optionalRedisAndDatabaseAreEmptyWithoutTheirSections() {
        AppProbe.SEEN.clear();
        try (App app = App.build(optionalApp, App.index(optionalApp), new Settings(Map.of()), null, null)) {
            assertThat(app.usesRedis()).isFalse();
            assertThat(app.usesDatabase()).isFalse();
            assertThat(app.describe()).hasSize(1);
        }
        assertThat(AppProbe.SEEN).containsExactly("redis false, pool false, dataSource false");
    }

    @Test
    void optionalRedisIsPresentWithARedisSection() {
        assumeTrue(reachable(6379), "Redis not reachable at 127.0.0.1:6379 - skipped");
        GatewayConfig config = new ConfigLoader(Map.of()).parse("""
                redis:
                  uri: redis://127.0.0.1:6379
                """, "routemq.yaml").config();
        AppProbe.SEEN.clear();
        try (App app = App.build(optionalApp, App.index(optionalApp), new Settings(Map.of()), AppSections.redis(config),
                AppSections.database(config))) {
            assertThat(app.usesRedis()).isTrue();
            assertThat(app.usesDatabase()).isFalse();
        }
        assertThat(AppProbe.SEEN).containsExactly("redis true, pool false, dataSource false", "ping PONG");
    }

    @Test
    void aComponentTakingTheDatabaseWithoutADatabaseSectionFailsNamingItAndTheSection(@TempDir Path tmp) throws Exception {
        URLClassLoader loader = AppCompiler.compile(tmp.resolve("db-app"), Map.of("alerts.Alerts", """
                package alerts;
                import io.routemq.core.Router;
                import io.routemq.core.Routes;
                import javax.sql.DataSource;
                @jakarta.inject.Singleton
                public final class Alerts implements Routes {
                    public Alerts(DataSource db) { }
                    @Override
                    public void define(Router router) { }
                }
                """));
        assertThatThrownBy(() -> App.build(loader, App.index(loader), new Settings(Map.of()), null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alerts.Alerts")
                .hasMessageContaining("no database: section")
                .hasMessageContaining("database: { url:")
                .hasMessageNotContaining("Injecting null");
    }

    static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
