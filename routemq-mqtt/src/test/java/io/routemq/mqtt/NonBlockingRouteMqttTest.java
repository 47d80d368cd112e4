package io.routemq.mqtt;

import io.routemq.core.Dispatcher;
import io.routemq.core.Publication;
import io.routemq.core.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Non-blocking routes ({@code RouteBuilder.nonBlocking()}) through a real session, against a private Mosquitto at QoS
 * 1: the middleware and the handler run on the client's thread (no lane thread), each topic's messages once and in
 * order, replies published from the handler arrive, and every message is acknowledged to the broker.
 */
class NonBlockingRouteMqttTest {
    @TempDir
    static Path tmp;

    @Test
    void nonBlockingRoutesRunOnTheClientsThreadInOrderAndAreAcknowledged() throws Exception {
        assumeTrue(TestSupport.mosquittoInstalled(), "mosquitto is not installed (/usr/sbin/mosquitto) - skipped");
        int topics = 8;
        int perTopic = 500;
        int total = topics * perTopic;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        AtomicInteger middlewareRuns = new AtomicInteger();
        List<String> replies = new CopyOnWriteArrayList<>();
        try (var mosq = new TestSupport.Mosquitto(tmp.resolve("mosq"), List.of("allow_anonymous true", "max_queued_messages 0", "max_inflight_messages 0"));
             SessionManager sessions = new SessionManager(); SessionManager pubs = new SessionManager()) {
            sessions.add(SessionConfig.builder(mosq.url()).clientId("nb-sub").maxInFlight(64).build());
            Router router = Router.create();
            router.middleware((ctx, next) -> {
                middlewareRuns.incrementAndGet();
                next.proceed(ctx);
            });
            router.on("nb/{t}", ctx -> {
                Thread t = Thread.currentThread();
                ranOn.add(t.isVirtual() ? "virtual" : t.getName().replaceAll("[0-9]+", "N"));
                int n = Integer.parseInt(ctx.text());
                seen.computeIfAbsent(ctx.param("t"), k -> new CopyOnWriteArrayList<>()).add(n);
                if (n == perTopic - 1) ctx.publish("nb-done/" + ctx.param("t"), "last".getBytes(StandardCharsets.UTF_8), 1); // a future: never waited for here
            }).qos(1).nonBlocking();
            router.on("nb-done/{t}", ctx -> replies.add(ctx.param("t"))).qos(1).nonBlocking();
            Dispatcher d = Dispatcher.builder(router.build()).publisher(sessions).maxInFlight(64).build();
            MqttApplication app = MqttApplication.builder(sessions).dispatcher(d).build();
            app.start();
            app.awaitReady(Duration.ofSeconds(10));

            MqttSession p = pubs.add(SessionConfig.builder(mosq.url()).clientId("nb-pub").build());
            p.connect();
            p.awaitReady(Duration.ofSeconds(10));
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) {
                for (int t = 0; t < topics; t++) {
                    fs.add(p.publish(new Publication(null, "nb/t" + t, Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false, null)));
                }
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            java.util.function.Supplier<SessionStats> statsOf = () -> sessions.status("default").stats();
            await().atMost(Duration.ofSeconds(60)).until(() -> statsOf.get().acknowledged() >= total + topics);
            SessionStats stats = statsOf.get();
            app.stop(Duration.ofSeconds(10));
            d.close();

            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < perTopic; i++) expected.add(i);
            assertThat(seen).hasSize(topics);
            seen.forEach((t, list) -> assertThat(list).as("topic %s: each message once, in order", t).isEqualTo(expected));
            assertThat(replies).as("the replies published from the handler").hasSize(topics);
            assertThat(middlewareRuns).hasValue(total + topics);
            assertThat(ranOn).as("the threads the handler ran on").isNotEmpty()
                    .allMatch(n -> n.startsWith("com.hivemq.client.mqtt"), "the client's event loop");
            assertThat(stats.acknowledged()).isEqualTo(total + topics);
            assertThat(stats.notAcknowledged()).isZero();
            assertThat(d.stats().handled()).isEqualTo(total + topics);
        }
    }
}
