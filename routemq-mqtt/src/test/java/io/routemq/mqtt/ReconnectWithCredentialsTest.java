package io.routemq.mqtt;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A broker that needs a password is down for 5 s while a publisher sends QoS 1 load to a persistent subscriber; both
 * sessions use the default reconnect policy. Every reconnect must send the credentials (and the other CONNECT
 * options), so both sessions come back by themselves: nothing is lost and the subscriber is resubscribed (READY again,
 * and the messages published after the restart arrive). The time to recover is printed, not asserted.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReconnectWithCredentialsTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-pw";
    private static final int TOTAL = 10_000;
    private static final int OUTAGE_AFTER = 2_000;
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(17);

    @TempDir
    Path tmp;

    /** Stops and starts the broker on the same port. */
    interface Restartable {
        void down() throws Exception;

        void up() throws Exception;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void passwordMosquittoDownFiveSecondsUnderLoad(ProtocolVersion version) throws Exception {
        assumeTrue(TestSupport.mosquittoInstalled(), "mosquitto is not installed (/usr/sbin/mosquitto) - skipped");
        Path dir = tmp.resolve("mosquitto");
        Files.createDirectories(dir);
        Path passwords = dir.resolve("passwords");
        Process p;
        try {
            p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), USER, PASSWORD).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            p = null;
        }
        assumeTrue(p != null && p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0,
                "mosquitto_passwd is not installed or failed - skipped");
        // Mosquitto started as root runs as the 'mosquitto' user: it must be able to write its persistence file.
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (var mosq = new TestSupport.Mosquitto(dir, List.of("allow_anonymous false", "password_file " + passwords,
                "persistence true", "persistence_location " + db + "/", "max_queued_messages 0"))) {
            String label = "mosquitto-" + version;
            Result r = run(label, mosq.url(), version, new Restartable() {
                @Override
                public void down() throws Exception {
                    mosq.stop();
                }

                @Override
                public void up() throws Exception {
                    mosq.start();
                }
            });
            // Every CONNECT of the subscriber, the reconnects included, carried the user and our keep-alive.
            String log = mosq.log();
            Matcher m = Pattern.compile("as " + Pattern.quote(r.subClientId) + " \\(p(\\d), c(\\d), k(\\d+), u'([^']*)'\\)").matcher(log);
            List<String> connects = new ArrayList<>();
            while (m.find()) connects.add(m.group());
            long refused = log.lines().filter(l -> l.contains("not authorised")).count();
            System.out.printf("%s: broker log: %d subscriber CONNECTs %s; %d 'not authorised' lines%n", label, connects.size(), connects, refused);
            assertThat(connects).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(c -> assertThat(c).contains("c0").contains("k" + KEEP_ALIVE.toSeconds()).contains("u'" + USER + "'"));
            assertThat(refused).as("CONNECTs refused by the broker").isZero();
        }
    }

    @Test
    void authenticatedEmbeddedBrokerDownFiveSecondsUnderLoad() throws Exception {
        int port = TestSupport.freePort();
        Path data = tmp.resolve("broker-data");
        EmbeddedBroker.Builder config = EmbeddedBroker.builder().port(port).dataDir(data).allowAnonymous(false).user(USER, PASSWORD)
                .configure(c -> c.serverReceiveMaximum(1000));
        EmbeddedBroker[] broker = {config.build()};
        broker[0].start();
        try {
            run("embedded", "mqtt://127.0.0.1:" + port, ProtocolVersion.MQTT_5, new Restartable() {
                @Override
                public void down() {
                    broker[0].close();
                }

                @Override
                public void up() {
                    broker[0] = config.build();
                    broker[0].start();
                }
            });
        } finally {
            broker[0].close();
        }
    }

    record Result(String subClientId) {
    }

    private Result run(String label, String url, ProtocolVersion version, Restartable broker) throws Exception {
        String subId = "cred-sub-" + version.name().toLowerCase();
        ConcurrentHashMap<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        AtomicLong deliveries = new AtomicLong();
        AtomicLong firstAfterUp = new AtomicLong(-1);
        AtomicLong upAt = new AtomicLong(-1);
        List<Long> subReady = new CopyOnWriteArrayList<>();
        List<SessionEvent> subErrors = new CopyOnWriteArrayList<>();

        try (SessionManager subs = new SessionManager(); SessionManager pubs = new SessionManager()) {
            subs.addListener(e -> {
                if (e.type() == SessionEvent.Type.READY) subReady.add(System.nanoTime());
                if (e.type() == SessionEvent.Type.DISCONNECTED && e.cause() != null) subErrors.add(e);
            });
            MqttSession sub = subs.add(SessionConfig.builder(url).clientId(subId).credentials(USER, PASSWORD).protocolVersion(version)
                    .keepAlive(KEEP_ALIVE).persistentSession(Duration.ofHours(1)).build());
            sub.subscribe(SubscriptionSpec.of("cred/#", 1), (m, ack) -> {
                int id = Integer.parseInt(new String(m.payload(), StandardCharsets.US_ASCII));
                counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                deliveries.incrementAndGet();
                if (upAt.get() > 0 && firstAfterUp.get() < 0) firstAfterUp.compareAndSet(-1, System.nanoTime());
                ack.complete(Outcome.HANDLED);
            });
            sub.connect();
            sub.awaitReady(Duration.ofSeconds(30));
            MqttSession pub = pubs.add(SessionConfig.builder(url).clientId("cred-pub-" + version.name().toLowerCase())
                    .credentials(USER, PASSWORD).protocolVersion(version).keepAlive(KEEP_ALIVE).build());
            pub.connect();
            pub.awaitReady(Duration.ofSeconds(30));

            AtomicInteger published = new AtomicInteger();
            AtomicInteger firstIdAfterUp = new AtomicInteger(-1);
            AtomicLong downAt = new AtomicLong();
            Thread restarter = Thread.ofPlatform().name("restarter").start(() -> {
                try {
                    while (counts.size() < OUTAGE_AFTER) Thread.sleep(5);
                    broker.down();
                    downAt.set(System.nanoTime());
                    Thread.sleep(OUTAGE.toMillis());
                    broker.up();
                    firstIdAfterUp.set(published.get());
                    upAt.set(System.nanoTime());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // About 1,000 messages a second, at most 500 unacknowledged; a publish that fails is published again.
            AtomicInteger republished = new AtomicInteger();
            Semaphore window = new Semaphore(500);
            List<CompletableFuture<Void>> all = new ArrayList<>(TOTAL);
            long t0 = System.nanoTime();
            for (int i = 0; i < TOTAL; i++) {
                if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new AssertionError(label + ": 500 publishes unacknowledged for 60 s after message " + i + " (subscriber "
                            + sub.status().state() + ", publisher " + pub.status().state() + ", last subscriber error: "
                            + (subErrors.isEmpty() ? "none" : subErrors.get(subErrors.size() - 1).cause().getMessage()) + ")");
                }
                all.add(publishUntilAcked(pub, i, window, republished));
                published.set(i + 1);
                if (i % 10 == 9) Thread.sleep(10);
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(90, TimeUnit.SECONDS);
            restarter.join(30_000);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> counts.size() >= TOTAL);
            Thread.sleep(500); // late duplicates

            int lost = 0;
            for (int i = 0; i < TOTAL; i++) if (!counts.containsKey(i)) lost++;
            long up = upAt.get();
            long readyAgain = subReady.stream().filter(t -> t >= up).min(Long::compare).orElse(-1L);
            int afterUp = 0;
            for (int i = Math.max(0, firstIdAfterUp.get()); i < TOTAL; i++) if (counts.containsKey(i)) afterUp++;
            System.out.printf("%s: sent=%d delivered=%d unique=%d duplicates=%d lost=%d republished=%d; broker down %d ms;"
                            + " broker back -> subscriber READY in %d ms, first message in %d ms; %d messages published after the restart"
                            + " all arrived; subscriber connects=%d reconnectAttempts=%d disconnect causes=%s; total %d ms%n",
                    label, TOTAL, deliveries.get(), counts.size(), deliveries.get() - counts.size(), lost, republished.get(),
                    (up - downAt.get()) / 1_000_000, readyAgain < 0 ? -1 : (readyAgain - up) / 1_000_000,
                    firstAfterUp.get() < 0 ? -1 : (firstAfterUp.get() - up) / 1_000_000, TOTAL - firstIdAfterUp.get(),
                    sub.status().stats().connects(), sub.status().stats().reconnectAttempts(),
                    subErrors.stream().map(e -> e.cause().getClass().getSimpleName()).distinct().toList(),
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(lost).isZero();
            assertThat(readyAgain).as("the subscriber is READY (resubscribed) after the broker came back").isPositive();
            assertThat(firstIdAfterUp.get()).as("load went on after the restart").isBetween(0, TOTAL - 1);
            assertThat(afterUp).isEqualTo(TOTAL - firstIdAfterUp.get());
            assertThat(sub.status().state()).isEqualTo(SessionState.READY);
            assertThat(sub.status().stats().connects()).isGreaterThanOrEqualTo(2);
        }
        return new Result(subId);
    }

    private static CompletableFuture<Void> publishUntilAcked(MqttSession pub, int id, Semaphore window, AtomicInteger republished) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(pub, id, done, republished);
        return done.whenComplete((v, t) -> window.release());
    }

    private static void attempt(MqttSession pub, int id, CompletableFuture<Void> done, AtomicInteger republished) {
        pub.publish(new Publication(null, "cred/" + (id % 16), Integer.toString(id).getBytes(StandardCharsets.US_ASCII), 1, false, null))
                .whenComplete((v, t) -> {
                    if (t == null) {
                        done.complete(null);
                    } else {
                        republished.incrementAndGet();
                        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> attempt(pub, id, done, republished));
                    }
                });
    }
}
