package io.routemq.server.app;

import io.routemq.core.Publication;
import io.routemq.core.MessageProperties;
import io.routemq.server.cli.RouteMqCli;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.gateway.Gateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The application runtime on a real app: compiled in process with routemq-processor and the avaje-inject generator,
 * its controller and route file found in the index, built with injection (the MQTT publisher, settings), run on the
 * gateway's pipeline against the machine's Mosquitto, listed by {@code routemq routes} with their source, and closed
 * in order.
 */
class AppRuntimeTest {

    private static final Map<String, String> APP = Map.of(
            "demo.Greeter", """
                    package demo;
                    import io.routemq.core.Publication;
                    import io.routemq.core.MessageProperties;
                    import io.routemq.core.Publisher;
                    import io.routemq.core.annotation.Param;
                    import io.routemq.core.annotation.Topic;
                    import io.routemq.server.app.Settings;
                    import java.nio.charset.StandardCharsets;
                    @jakarta.inject.Singleton
                    public final class Greeter {
                        private final Publisher publisher;
                        private final String greeting;
                        public Greeter(Publisher publisher, Settings settings) {
                            this.publisher = publisher;
                            this.greeting = settings.get("GREETING", "hello ");
                        }
                        @Topic(value = "apptest/hello/{name}", qos = 1)
                        void hello(@Param String name) {
                            publisher.publish(new Publication(null, "apptest/greetings/" + name,
                                    (greeting + name).getBytes(StandardCharsets.UTF_8), 1, false, MessageProperties.NONE)).join();
                        }
                        @io.avaje.inject.PreDestroy
                        void close() { io.routemq.server.app.AppProbe.SEEN.add("greeter closed"); }
                    }
                    """,
            "demo.Listen", """
                    package demo;
                    import io.routemq.core.Router;
                    import io.routemq.core.Routes;
                    public final class Listen implements Routes {
                        @Override
                        public void define(Router router) {
                            router.on("apptest/greetings/+", ctx -> io.routemq.server.app.AppProbe.SEEN.add(ctx.topic() + " " + ctx.text())).qos(1);
                        }
                    }
                    """);

    private static URLClassLoader app;

    @BeforeAll
    static void compile(@TempDir Path tmp) throws Exception {
        app = AppCompiler.compile(tmp.resolve("app"), APP);
    }

    @Test
    void theAppRunsWithInjectedPublisherAndSettingsAndClosesInOrder(@TempDir Path tmp) throws Exception {
        assumeTrue(reachable(1883), "Mosquitto not reachable at 127.0.0.1:1883 - skipped");
        GatewayConfig config = new ConfigLoader(Map.of()).parse(config(tmp, "app-runtime-" + ProcessHandle.current().pid()), "routemq.yaml").config();
        App built = App.build(app, App.index(app), new Settings(Map.of("GREETING", "hi ")), null, null);
        assertThat(built.describe()).extracting(CodeRoute::topic, CodeRoute::source).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("apptest/greetings/+", "demo.Listen"),
                org.assertj.core.groups.Tuple.tuple("apptest/hello/{name}", "demo.Greeter#hello"));
        AppProbe.SEEN.clear();
        Gateway gateway = Gateway.start(config, false, built.routeFiles());
        try {
            built.bindPublisher(gateway.sessions());
            gateway.awaitReady(Duration.ofSeconds(30));
            gateway.sessions().publish(new Publication(null, "apptest/hello/bob", "x".getBytes(StandardCharsets.UTF_8), 1, false,
                    MessageProperties.NONE)).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> AppProbe.SEEN.contains("apptest/greetings/bob hi bob"));
        } finally {
            gateway.stop(Duration.ofSeconds(10));
            built.close();
        }
        assertThat(AppProbe.SEEN).endsWith("greeter closed");
    }

    @Test
    void routesListsTheCodeRoutesWithTheirSourceNextToTheConfigRoutes(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("routemq.yaml"), config(tmp, "app-routes") + """
                routes:
                  - topic: plant/{line}/telemetry
                    to: [ingest]
                sinks:
                  ingest:
                    http: { urls: ['http://127.0.0.1:9/ingest'] }
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = withLoader(app, () -> new RouteMqCli(null, null, Map.of()).execute(new PrintWriter(out), new PrintWriter(err),
                "routes", "--config", file.toString()));
        assertThat(code).as(err.toString()).isEqualTo(0);
        assertThat(out.toString()).contains("plant/{line}/telemetry", "Code routes", "apptest/hello/{name}", "demo.Greeter#hello",
                "apptest/greetings/+", "demo.Listen");
        assertThat(out.toString()).doesNotContain("Exception");

        StringWriter traced = new StringWriter();
        code = withLoader(app, () -> new RouteMqCli(null, null, Map.of()).execute(new PrintWriter(traced), new PrintWriter(err),
                "routes", "--config", file.toString(), "--topic", "apptest/hello/ann"));
        assertThat(code).as(err.toString()).isEqualTo(0);
        assertThat(traced.toString()).contains("main: code route 'apptest/hello/{name}' {name=ann} -> demo.Greeter#hello")
                .doesNotContain("no route receives");
    }

    @Test
    void redisAndTheDatabaseAreInjectedFromTheirSectionsAndClosedAfterTheComponents(@TempDir Path tmp) throws Exception {
        assumeTrue(reachable(6379), "Redis not reachable at 127.0.0.1:6379 - skipped");
        assumeTrue(reachable(5432), "PostgreSQL not reachable at 127.0.0.1:5432 - skipped");
        URLClassLoader loader = AppCompiler.compile(tmp.resolve("services-app"), Map.of("store.Store", """
                package store;
                import io.routemq.core.Router;
                import io.routemq.core.Routes;
                import io.routemq.redis.RedisConnections;
                import javax.sql.DataSource;
                @jakarta.inject.Singleton
                public final class Store implements Routes {
                    private final RedisConnections redis;
                    private final DataSource db;
                    public Store(RedisConnections redis, DataSource db) { this.redis = redis; this.db = db; }
                    @Override
                    public void define(Router router) {
                        router.on("apptest/store/+", ctx -> redis.shared().sync().set("k", ctx.text()));
                        io.routemq.server.app.AppProbe.SEEN.add("redis " + redis.shared().sync().ping());
                        try (var c = db.getConnection(); var r = c.createStatement().executeQuery("select 41 + 1")) {
                            r.next();
                            io.routemq.server.app.AppProbe.SEEN.add("sql " + r.getInt(1));
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    @io.avaje.inject.PreDestroy
                    void close() { io.routemq.server.app.AppProbe.SEEN.add("store closed, redis open " + redis.ping()); }
                }
                """));
        GatewayConfig config = new ConfigLoader(Map.of()).parse(config(tmp, "app-services") + """
                redis:
                  uri: redis://127.0.0.1:6379
                database:
                  url: jdbc:postgresql://127.0.0.1:5432/test
                  username: postgres
                """, "routemq.yaml").config();
        AppProbe.SEEN.clear();
        try (App built = App.build(loader, App.index(loader), new Settings(Map.of()), AppSections.redis(config), AppSections.database(config))) {
            assertThat(built.usesRedis()).isTrue();
            assertThat(built.usesDatabase()).isTrue();
            assertThat(built.describe()).extracting(CodeRoute::source).containsExactly("store.Store");
        }
        assertThat(AppProbe.SEEN).containsSubsequence("redis PONG", "sql 42", "store closed, redis open true");
    }

    private static String config(Path tmp, String clientId) {
        return """
                brokers:
                  main:
                    url: mqtt://127.0.0.1:1883
                    clientId: %s
                queue:
                  dir: '%s'
                admin:
                  enabled: false
                """.formatted(clientId, tmp.resolve("queue").toAbsolutePath());
    }

    static int withLoader(ClassLoader loader, java.util.concurrent.Callable<Integer> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
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
