package io.routemq.mqtt;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.core.Publication;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link MqttApplication#swapRoutes} under a steady QoS 1 stream on the embedded broker: the routes are swapped three
 * times, each time with a new handler and a changed filter ({@code data/#}, {@code data/+}, {@code data/#}, {@code data/+}),
 * without closing the session. No message is lost (the new filter is granted before the old one is dropped), and every
 * message published after a swap returned runs the new handler. The swap times are printed, not asserted.
 */
class RouteSwapTest {
    private static final int TOTAL = 3000;

    @Test
    void swapsUnderAQos1StreamLoseNothingAndRunTheNewCode() throws Exception {
        int port = TestSupport.freePort();
        EmbeddedBroker broker = EmbeddedBroker.builder().port(port).inMemory().allowAnonymous(true).build();
        broker.start();
        String url = "mqtt://127.0.0.1:" + port;
        // id -> the versions that handled it (a message in the overlap of two filters may come twice: at least once)
        Map<Integer, List<String>> handled = new ConcurrentHashMap<>();
        current = handled;
        try (SessionManager subs = new SessionManager(); SessionManager pubs = new SessionManager()) {
            subs.add(SessionConfig.builder(url).clientId("swap-app").persistentSession(Duration.ofMinutes(5)).build());
            MqttApplication app = MqttApplication.builder(subs).routes(routes("v1", "data/#")).build();
            app.start();
            app.awaitReady(Duration.ofSeconds(10));
            MqttSession pub = pubs.add(SessionConfig.builder(url).clientId("swap-pub").build());
            pub.connect();
            pub.awaitReady(Duration.ofSeconds(10));

            AtomicInteger published = new AtomicInteger();
            List<CompletableFuture<Void>> acks = new CopyOnWriteArrayList<>();
            Thread publisher = Thread.ofPlatform().start(() -> {
                Semaphore window = new Semaphore(100);
                for (int i = 0; i < TOTAL; i++) {
                    window.acquireUninterruptibly();
                    acks.add(pub.publish(new Publication(null, "data/" + (i % 8), Integer.toString(i).getBytes(StandardCharsets.US_ASCII), 1, false, null))
                            .whenComplete((v, e) -> window.release()));
                    published.set(i + 1);
                    if (i % 10 == 0) sleepQuietly(2); // a steady rate: about 3,000 a second at most
                }
            });
            String[][] versions = {{"v2", "data/+"}, {"v3", "data/#"}, {"v4", "data/+"}};
            List<int[]> windows = new ArrayList<>(); // the first message published after swap k returned
            List<Long> reloadMillis = new ArrayList<>();
            int prevEnd = 0;
            for (String[] v : versions) {
                await().atMost(Duration.ofSeconds(20)).until(() -> published.get() >= windows.size() * 700 + 500);
                long t0 = System.nanoTime();
                MqttApplication.RouteSwap swap = app.swapRoutes(routes(v[0], v[1]), Duration.ofSeconds(10));
                reloadMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                assertThat(swap.subscribed()).hasSize(1);
                assertThat(swap.unsubscribed()).hasSize(1);
                windows.add(new int[]{published.get()});
                prevEnd = published.get();
            }
            publisher.join(30_000);
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == TOTAL);
            app.stop(Duration.ofSeconds(10));

            Map<String, Integer> byVersion = new java.util.TreeMap<>();
            handled.values().forEach(list -> list.forEach(v -> byVersion.merge(v, 1, Integer::sum)));
            long duplicates = handled.values().stream().mapToLong(l -> l.size() - 1).sum();
            System.out.printf("RouteSwapTest: %d published, %d handled (%d lost, %d duplicates in the filter overlaps); by version %s;"
                    + " swap times %s ms%n", TOTAL, handled.size(), TOTAL - handled.size(), duplicates, byVersion, reloadMillis);
            assertThat(handled).hasSize(TOTAL); // 0 lost
            // a message published after swap k returned never runs the code of a version before it (it may run a later one:
            // it can still be on its way when the next swap happens)
            for (int k = 0; k < windows.size(); k++) {
                List<String> older = new ArrayList<>(List.of("v1"));
                for (int j = 0; j < k; j++) older.add(versions[j][0]);
                for (int id = windows.get(k)[0]; id < TOTAL; id++) {
                    assertThat(handled.get(id)).as("message %d, published after swap %d", id, k + 1).doesNotContainAnyElementsOf(older);
                }
            }
            assertThat(byVersion).containsKeys("v1", "v2", "v3", "v4");
            assertThat(prevEnd).isLessThan(TOTAL); // the last version got messages after its swap
        } finally {
            broker.close();
        }
    }

    private static volatile Map<Integer, List<String>> current;

    /** The route file of one "version": one route on {@code filter} whose handler records the version. */
    private static RouteTable routes(String version, String filter) {
        Router r = Router.create();
        String pattern = filter.equals("data/#") ? "data/{rest...}" : "data/{n}";
        r.on(pattern, ctx -> current.computeIfAbsent(Integer.parseInt(ctx.text()), k -> new CopyOnWriteArrayList<>()).add(version)).qos(1);
        return r.build();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
