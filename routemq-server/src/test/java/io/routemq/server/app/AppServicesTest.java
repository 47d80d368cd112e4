package io.routemq.server.app;

import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.routemq.core.MessageProperties;
import io.routemq.core.Publication;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import io.routemq.server.cli.RouteMqCli;
import io.routemq.server.gateway.Gateway;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.routemq.server.app.AppRuntimeTest.reachable;
import static io.routemq.server.app.AppRuntimeTest.withLoader;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis and the database for an app's components: a component may take {@code Optional<RedisConnections>},
 * {@code Optional<DatabasePool>} or {@code Optional<DataSource>}, present exactly when the config has the section
 * and empty, without error, when it has none. The gateway's middleware and the app's components share one
 * {@link RedisConnections} (seen in Redis's CLIENT LIST), closed once at the end; and {@code routemq check} builds
 * the app without opening its job store.
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
    void optionalDatabaseIsPresentWithADatabaseSection() {
        assumeTrue(reachable(5432), "PostgreSQL not reachable at 127.0.0.1:5432 - skipped");
        GatewayConfig config = new ConfigLoader(Map.of()).parse("""
                database:
                  url: jdbc:postgresql://127.0.0.1:5432/test
                  username: postgres
                """, "routemq.yaml").config();
        AppProbe.SEEN.clear();
        try (App app = App.build(optionalApp, App.index(optionalApp), new Settings(Map.of()), AppSections.redis(config),
                AppSections.database(config))) {
            assertThat(app.usesDatabase()).isTrue();
            assertThat(app.usesRedis()).isFalse();
        }
        assertThat(AppProbe.SEEN).containsExactly("redis false, pool true, dataSource true");
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

    private static final Map<String, String> SHARED_APP = Map.of("shared.Positions", """
            package shared;
            import io.routemq.core.Router;
            import io.routemq.core.Routes;
            import io.routemq.redis.RedisConnections;
            @jakarta.inject.Singleton
            public final class Positions implements Routes {
                private final RedisConnections redis;
                public Positions(RedisConnections redis) {
                    this.redis = redis;
                    io.routemq.server.app.AppProbe.SEEN.add("component ping " + redis.shared().sync().ping());
                }
                @Override
                public void define(Router router) {
                    router.on("apptest/positions/+", ctx -> redis.shared().sync().set(ctx.topic(), ctx.text()));
                }
            }
            """);

    @Test
    void theMiddlewaresStoreRedisAndTheComponentsShareOneRedisClosedOnceAfterThem(@TempDir Path tmp) throws Exception {
        assumeTrue(reachable(6379), "Redis not reachable at 127.0.0.1:6379 - skipped");
        assumeTrue(reachable(1883), "Mosquitto not reachable at 127.0.0.1:1883 - skipped");
        URLClassLoader loader = AppCompiler.compile(tmp.resolve("shared-app"), SHARED_APP);
        String id = "apptest-shared-" + ProcessHandle.current().pid() + "-" + (System.nanoTime() % 100_000);
        GatewayConfig config = new ConfigLoader(Map.of()).parse("""
                brokers:
                  main:
                    url: mqtt://127.0.0.1:1883
                    clientId: %s
                queue:
                  dir: '%s'
                admin:
                  enabled: false
                redis:
                  uri: redis://127.0.0.1:6379
                  clientName: %s
                routes:
                  - name: %s
                    topic: apptest/limited/{id}
                    middleware:
                      - rateLimit: { key: param.id, tokenBucket: { rate: 1/h, burst: 100 }, store: redis }
                    to: [ingest]
                sinks:
                  ingest:
                    http: { urls: ['http://127.0.0.1:9/ingest'] }
                """.formatted(id, tmp.resolve("queue").toAbsolutePath(), id, id), "routemq.yaml").config();
        try (RedisConnections observer = RedisConnections.open(RedisConfig.defaults())) {
            AppProbe.SEEN.clear();
            App app = App.build(loader, App.index(loader), new Settings(Map.of()), AppSections.redis(config), AppSections.database(config),
                    AppSections.jobs(config));
            Gateway gateway = null;
            try {
                assertThat(AppProbe.SEEN).containsExactly("component ping PONG");
                assertThat(clients(observer, id)).as("the component's connection").isEqualTo(1);
                gateway = Gateway.start(config, false, app.routeFiles(), app.services());
                gateway.awaitReady(Duration.ofSeconds(30));
                gateway.sessions().publish(new Publication(null, "apptest/limited/a", "x".getBytes(StandardCharsets.UTF_8), 1, false,
                        MessageProperties.NONE)).get();
                String key = "routemq:ratelimit:" + id + ":a";
                await().atMost(Duration.ofSeconds(30)).until(() -> observer.shared().sync().exists(key) == 1);
                assertThat(clients(observer, id)).as("the middleware used the component's connection, not a second client").isEqualTo(1);
                observer.shared().sync().del(key);
            } finally {
                if (gateway != null) gateway.stop(Duration.ofSeconds(10));
                assertThat(clients(observer, id)).as("the gateway does not close the process's Redis: the app does, after it").isEqualTo(1);
                app.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> clients(observer, id) == 0);
        }
    }

    /** How many connections Redis lists under a client name. */
    private static long clients(RedisConnections observer, String name) {
        return Arrays.stream(observer.shared().sync().clientList().split("\n")).filter(l -> l.contains(" name=" + name + " ")).count();
    }

    @Test
    void checkBuildsAnAppThatTakesJobsWithoutCreatingTheJobStore(@TempDir Path tmp) throws Exception {
        URLClassLoader loader = AppCompiler.compile(tmp.resolve("jobs-app"), Map.of("mail.Mailer", """
                package mail;
                import io.routemq.core.Router;
                import io.routemq.core.Routes;
                import io.routemq.jobs.Jobs;
                @jakarta.inject.Singleton
                public final class Mailer implements Routes {
                    private final Jobs jobs;
                    public Mailer(Jobs jobs) { this.jobs = jobs; }
                    @Override
                    public void define(Router router) { router.on("apptest/mail/+", ctx -> { }); }
                }
                """));
        Path jobsDir = tmp.resolve("jobs");
        Path file = Files.writeString(tmp.resolve("routemq.yaml"), """
                brokers:
                  main: { url: 'mqtt://127.0.0.1:1883' }
                queue:
                  dir: '%s'
                jobs:
                  dir: '%s'
                """.formatted(tmp.resolve("queue").toAbsolutePath(), jobsDir.toAbsolutePath()));
        for (String command : new String[]{"check", "routes"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = withLoader(loader, () -> new RouteMqCli(null, null, Map.of()).execute(new PrintWriter(out), new PrintWriter(err),
                    command, "--config", file.toString()));
            assertThat(code).as(command + ": " + err).isZero();
            assertThat(out.toString()).contains("apptest/mail/+");
            assertThat(jobsDir).as(command + " must not create the local job store").doesNotExist();
        }
        // run opens it (the same app, built to run)
        try (App app = App.build(loader, App.index(loader), new Settings(Map.of()), null, null,
                new ConfigLoader(Map.of()).load(file).jobs())) {
            assertThat(jobsDir).isDirectory();
        }
    }

    @Test
    void aComponentTakingRedisWithoutARedisSectionFailsAtBuildAndInCheckNamingItAndTheSection(@TempDir Path tmp) throws Exception {
        URLClassLoader loader = AppCompiler.compile(tmp.resolve("check-redis-app"), SHARED_APP);
        assertThatThrownBy(() -> App.build(loader, App.index(loader), new Settings(Map.of()), null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shared.Positions")
                .hasMessageContaining("no redis: section")
                .hasMessageContaining("redis: { uri:");
        Path file = Files.writeString(tmp.resolve("routemq.yaml"), """
                brokers:
                  main: { url: 'mqtt://127.0.0.1:1883' }
                queue:
                  dir: '%s'
                """.formatted(tmp.resolve("queue").toAbsolutePath()));
        StringWriter err = new StringWriter();
        int code = withLoader(loader, () -> new RouteMqCli(null, null, Map.of()).execute(new PrintWriter(new StringWriter()),
                new PrintWriter(err), "check", "--config", file.toString()));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("shared.Positions", "no redis: section", "redis: { uri: redis://127.0.0.1:6379 }",
                "Optional<RedisConnections>");
    }
}
