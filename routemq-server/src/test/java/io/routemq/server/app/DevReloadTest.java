package io.routemq.server.app;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.core.MessageProperties;
import io.routemq.core.Publication;
import io.routemq.mqtt.MqttSession;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.gateway.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code routemq dev}'s reload on a running app: a controller compiled with the processors runs on the gateway's
 * pipeline on the embedded broker while a QoS 1 stream flows; its source is edited (the version it records, once its
 * filter too), each edit reloaded in the same JVM (javac, a new class loader, a route table swap). One edit does not
 * compile: its error names the file and line, and the old code keeps running. The last edit is picked up by the
 * file watcher. No message is lost, and every message published after a reload returned ran the new code (or a newer
 * one). The reload times are printed, not asserted.
 */
class DevReloadTest {

    private static String controller(String version, String pattern, String extra) {
        return """
                package demo;
                import io.routemq.core.Context;
                import io.routemq.core.annotation.Param;
                import io.routemq.core.annotation.Topic;
                @jakarta.inject.Singleton
                public final class Counter {
                    @Topic(value = "%s", qos = 1)
                    void count(%s@Param String n, Context ctx) {
                        %s
                        io.routemq.server.app.AppProbe.handled(Integer.parseInt(ctx.text()), "%s");
                    }
                }
                """.formatted(pattern, pattern.contains("{kind}") ? "@Param String kind, " : "", extra, version);
    }

    @Test
    void editsReloadInTheRunningJvmWithoutLosingAMessage(@TempDir Path tmp) throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.builder().port(0).allowAnonymous(true).inMemory()
                .configure(c -> c.serverReceiveMaximum(1000)).build();
        broker.start();
        AppProbe.HANDLED.clear();
        Path src = tmp.resolve("src/main/java");
        Path file = src.resolve("demo/Counter.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, controller("v1", "devtest/in/{n}", ""));
        URLClassLoader first = AppCompiler.compile(tmp.resolve("classes"), Map.of("demo.Counter", Files.readString(file)));
        GatewayConfig config = new ConfigLoader(Map.of()).parse("""
                brokers:
                  main:
                    url: %s
                    clientId: dev-reload-app
                queue:
                  dir: '%s'
                admin:
                  enabled: false
                """.formatted(broker.tcpUri(), tmp.resolve("queue").toAbsolutePath()), "routemq.yaml").config();
        App app = App.build(first, App.index(first), new Settings(Map.of()), null, null);
        Gateway gateway = Gateway.start(config, false, app.routeFiles());
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList();
        DevReloader dev = new DevReloader(src, classPath, List.of(), List.of(tmp.resolve("classes")), tmp.resolve("dev"),
                DevReloadTest.class.getClassLoader(), app, routes -> gateway.replaceCode(routes, Duration.ofSeconds(10)));
        try (SessionManager pubs = new SessionManager()) {
            app.bindPublisher(gateway.sessions());
            gateway.awaitReady(Duration.ofSeconds(30));
            MqttSession pub = pubs.add(SessionConfig.builder(broker.tcpUri()).clientId("dev-reload-pub").build());
            pub.connect();
            pub.awaitReady(Duration.ofSeconds(10));
            AtomicInteger published = new AtomicInteger();
            AtomicBoolean failed = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Void>> acks = new CopyOnWriteArrayList<>();
            Thread publisher = Thread.ofPlatform().start(() -> {
                Semaphore window = new Semaphore(100);
                for (int i = 0; !stop.get(); i++) {
                    window.acquireUninterruptibly();
                    // counted before the publish starts: an id at or above a mark read after a reload returned was
                    // published after the reload (counted after it, a message sent just before the swap could read as after)
                    published.set(i + 1);
                    acks.add(pub.publish(new Publication(null, "devtest/in/" + (i % 8), Integer.toString(i).getBytes(StandardCharsets.US_ASCII),
                            1, false, MessageProperties.NONE)).whenComplete((v, e) -> {
                                if (e != null) failed.set(true);
                                window.release();
                            }));
                    sleep(2); // a steady stream until the last reload is done, about 400 a second
                }
            });
            // version, pattern, extra statement: v3 and v5 change the filter (devtest/+/+), v4 changes it back,
            // "broken" does not compile; v6 comes through the watcher
            String[][] edits = {{"v2", "devtest/in/{n}", ""}, {"v3", "devtest/{kind}/{n}", ""}, {"broken", "devtest/{kind}/{n}", "int x = \"oops\";"},
                    {"v4", "devtest/in/{n}", ""}, {"v5", "devtest/{kind}/{n}", ""}};
            List<String> versions = new ArrayList<>(List.of("v1"));
            List<int[]> after = new ArrayList<>(); // the first id published after each successful reload, with its version index
            List<Long> millis = new ArrayList<>();
            for (int k = 0; k < edits.length; k++) {
                int threshold = published.get() + 300;
                await().atMost(Duration.ofSeconds(30)).until(() -> published.get() >= threshold);
                Files.writeString(file, controller(edits[k][0], edits[k][1], edits[k][2]));
                DevReloader.Result r = dev.reloadNow();
                millis.add(r.millis());
                if (edits[k][0].equals("broken")) {
                    assertThat(r.ok()).isFalse();
                    assertThat(r.error()).contains("demo/Counter.java:9:");
                    int mark = published.get();
                    try {
                        await().atMost(Duration.ofSeconds(30)).until(() -> AppProbe.HANDLED.keySet().stream().anyMatch(id -> id > mark + 50));
                    } catch (org.awaitility.core.ConditionTimeoutException e) {
                        throw new AssertionError("no message after the failed reload: " + state(published) + "; " + gateway.sessions().list()
                                .stream().map(MqttSession::status).toList(), e);
                    }
                    assertThat(AppProbe.HANDLED.get(mark + 50)).as("a message after the failed reload").containsOnly("v3");
                } else {
                    assertThat(r.ok()).as(String.valueOf(r.error())).isTrue();
                    versions.add(edits[k][0]);
                    after.add(new int[]{published.get(), versions.size() - 1});
                }
            }
            // the last edit through the file watcher
            dev.start();
            Thread.sleep(200);
            Files.writeString(file, controller("v6", "devtest/in/{n}", ""));
            versions.add("v6");
            await().atMost(Duration.ofSeconds(30)).until(() -> AppProbe.HANDLED.values().stream().anyMatch(l -> l.contains("v6")));
            int lastMark = published.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> published.get() >= lastMark + 200);
            stop.set(true);
            publisher.join(60_000);
            int total = published.get();
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> AppProbe.HANDLED.size() == total);

            Map<String, Integer> byVersion = new TreeMap<>();
            AppProbe.HANDLED.values().forEach(l -> l.forEach(v -> byVersion.merge(v, 1, Integer::sum)));
            System.out.printf("DevReloadTest: %d published, %d handled (%d lost); by version %s; reload times (javac included) %s ms%n",
                    total, AppProbe.HANDLED.size(), total - AppProbe.HANDLED.size(), byVersion, millis);
            assertThat(failed).isFalse();
            assertThat(AppProbe.HANDLED).hasSize(total); // 0 lost
            assertThat(byVersion).doesNotContainKey("broken").containsKeys("v1", "v2", "v3", "v4", "v5", "v6");
            for (int[] a : after) {
                List<String> older = versions.subList(0, a[1]);
                for (int id = a[0]; id < total; id++) {
                    assertThat(AppProbe.HANDLED.get(id)).as("message %d after the reload to %s", id, versions.get(a[1])).doesNotContainAnyElementsOf(older);
                }
            }
        } finally {
            dev.close();
            gateway.stop(Duration.ofSeconds(10));
            dev.current().close();
            broker.close();
        }
    }

    private static String state(AtomicInteger published) {
        Map<String, Integer> byVersion = new TreeMap<>();
        AppProbe.HANDLED.values().forEach(l -> l.forEach(v -> byVersion.merge(v, 1, Integer::sum)));
        return "published " + published.get() + ", handled " + byVersion;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
