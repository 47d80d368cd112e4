package io.routemq.server.app;

import io.routemq.core.MessageProperties;
import io.routemq.core.Publication;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.gateway.Gateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Jobs in an application: a controller takes the injected {@code Jobs} and dispatches a job from its handler (the
 * message's ack waits for the store), an in-process worker of the local driver runs it with its {@code @Inject}
 * field (a class) or its {@code @JacksonInject} component (a record) filled from the app's components, and closing the app stops the workers before the components.
 */
class AppJobsTest {

    private static final Map<String, String> APP = Map.of(
            "jobsapp.Notifier", """
                    package jobsapp;
                    @jakarta.inject.Singleton
                    public final class Notifier {
                        public void note(String what) { io.routemq.server.app.AppProbe.SEEN.add("notified " + what); }
                        @io.avaje.inject.PreDestroy
                        void close() { io.routemq.server.app.AppProbe.SEEN.add("notifier closed"); }
                    }
                    """,
            "jobsapp.Notify", """
                    package jobsapp;
                    public class Notify implements io.routemq.jobs.Job {
                        public String name;
                        @jakarta.inject.Inject transient Notifier notifier;
                        public Notify() { }
                        public Notify(String name) { this.name = name; }
                        @Override
                        public void handle() { notifier.note(name); }
                    }
                    """,
            "jobsapp.Ping", """
                    package jobsapp;
                    import com.fasterxml.jackson.annotation.JacksonInject;
                    import com.fasterxml.jackson.annotation.JsonIgnore;
                    public record Ping(String name, @JacksonInject @JsonIgnore Notifier notifier) implements io.routemq.jobs.Job {
                        @Override
                        public void handle() { notifier.note("ping " + name); }
                    }
                    """,
            "jobsapp.Dispatcher", """
                    package jobsapp;
                    import io.routemq.core.Context;
                    import io.routemq.core.annotation.Param;
                    import io.routemq.core.annotation.Topic;
                    import io.routemq.jobs.Jobs;
                    @jakarta.inject.Singleton
                    public final class Dispatcher {
                        private final Jobs jobs;
                        public Dispatcher(Jobs jobs) { this.jobs = jobs; }
                        @Topic(value = "apptest/jobs/{name}", qos = 1)
                        void notify(@Param String name, Context ctx) {
                            jobs.dispatch(ctx, new Notify(name));
                            jobs.dispatch(ctx, new Ping(name, null));
                        }
                    }
                    """);

    private static URLClassLoader loader;

    @BeforeAll
    static void compile(@TempDir Path tmp) throws Exception {
        loader = AppCompiler.compile(tmp.resolve("app"), APP);
    }

    @Test
    void aHandlerDispatchesAJobThatAnInProcessWorkerRunsWithItsInjectedDependency(@TempDir Path tmp) throws Exception {
        runsJobs(tmp, "", false);
    }

    @Test
    void theRedisDriverStoresJobsOnTheRedisConnectionsTheComponentsShare(@TempDir Path tmp) throws Exception {
        assumeTrue(reachable(6379), "Redis not reachable at 127.0.0.1:6379 - skipped");
        String prefix = "apptest:jobs:" + System.nanoTime() + ":";
        try {
            runsJobs(tmp, """
                      driver: redis
                      keyPrefix: '%s'
                    redis:
                      uri: redis://127.0.0.1:6379
                    """.formatted(prefix), true);
        } finally {
            try (var redis = io.routemq.redis.RedisConnections.open(io.routemq.redis.RedisConfig.defaults())) {
                var keys = redis.shared().sync().keys(prefix + "*");
                if (!keys.isEmpty()) redis.shared().sync().del(keys.toArray(String[]::new));
            }
        }
    }

    @Test
    void withWorkersFalseTheAppOnlyDispatches(@TempDir Path tmp) throws Exception {
        GatewayConfig config = new ConfigLoader(Map.of()).parse("""
                jobs:
                  dir: '%s'
                  workers: false
                """.formatted(tmp.resolve("jobs").toAbsolutePath()), "routemq.yaml").config();
        try (App built = App.build(loader, App.index(loader), new Settings(Map.of()), null, null, AppSections.jobs(config))) {
            assertThat(built.startJobs()).isFalse();
            assertThat(built.workers()).isNull();
            assertThat(built.scope().get(io.routemq.jobs.Jobs.class).store().driver()).isEqualTo("local");
        }
    }

    private void runsJobs(Path tmp, String driver, boolean redis) throws Exception {
        assumeTrue(reachable(1883), "Mosquitto not reachable at 127.0.0.1:1883 - skipped");
        String topic = "apptest/jobs/ann" + ProcessHandle.current().pid() + (redis ? "r" : "l");
        GatewayConfig config = new ConfigLoader(Map.of()).parse("""
                brokers:
                  main:
                    url: mqtt://127.0.0.1:1883
                    clientId: app-jobs-%s
                queue:
                  dir: '%s'
                admin:
                  enabled: false
                jobs:
                  dir: '%s'
                  queues: { default: 2 }
                  pollInterval: 50ms
                  shutdownTimeout: 5s
                """.formatted(ProcessHandle.current().pid() + (redis ? "r" : "l"), tmp.resolve("queue").toAbsolutePath(),
                tmp.resolve("jobs").toAbsolutePath()) + driver, "routemq.yaml").config();
        AppProbe.SEEN.clear();
        App built = App.build(loader, App.index(loader), new Settings(Map.of()), AppSections.redis(config), null, AppSections.jobs(config));
        Gateway gateway = Gateway.start(config, false, built.routeFiles());
        try {
            built.bindPublisher(gateway.sessions());
            assertThat(built.startJobs()).isTrue();
            assertThat(built.usesRedis()).isEqualTo(redis);
            gateway.awaitReady(Duration.ofSeconds(30));
            gateway.sessions().publish(new Publication(null, topic, "x".getBytes(StandardCharsets.UTF_8), 1, false,
                    MessageProperties.NONE)).get();
            String name = topic.substring("apptest/jobs/".length());
            await().atMost(Duration.ofSeconds(30)).until(() -> AppProbe.SEEN.containsAll(List.of("notified " + name, "notified ping " + name)));
            await().atMost(Duration.ofSeconds(10)).until(() -> built.workers().completed() == 2);
            assertThat(built.workers().failed()).isZero();
        } finally {
            gateway.stop(Duration.ofSeconds(10));
            built.close();
        }
        assertThat(AppProbe.SEEN).endsWith("notifier closed");
    }

    private static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
