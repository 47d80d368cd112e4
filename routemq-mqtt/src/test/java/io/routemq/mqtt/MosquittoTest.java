package io.routemq.mqtt;

import io.routemq.core.Dispatcher;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import io.routemq.core.Router;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Against Mosquitto: the local one at 127.0.0.1:1883, and Mosquitto processes this test starts on free ports with
 * generated configurations (ACL, password file, TLS with a generated CA, large queues for the burst).
 */
class MosquittoTest {
    private static final Logger log = LoggerFactory.getLogger(MosquittoTest.class);

    @TempDir
    static Path tmp;

    @BeforeAll
    static void needMosquitto() {
        assumeTrue(TestSupport.mosquittoInstalled(), "mosquitto is not installed (/usr/sbin/mosquitto) - skipped");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sharedSubscriptionGivesEachOfThreeWorkersAShare() throws Exception {
        assumeTrue(TestSupport.reachable(1883), "Mosquitto not reachable at 127.0.0.1:1883 - skipped");
        String prefix = "rmq-shared-" + UUID.randomUUID();
        try (SessionManager sessions = new SessionManager()) {
            MqttSession s = sessions.add(SessionConfig.builder("mqtt://127.0.0.1:1883").clientId(prefix).build());
            Map<String, AtomicInteger> perWorker = new ConcurrentHashMap<>();
            Set<String> payloads = ConcurrentHashMap.newKeySet();
            s.subscribe(SubscriptionSpec.shared(prefix + "/+", 1, "g", 3), (m, ack) -> {
                perWorker.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
                payloads.add(new String(m.payload(), StandardCharsets.UTF_8));
                ack.complete(Outcome.HANDLED);
            });
            s.connect();
            s.awaitReady(Duration.ofSeconds(10));
            int n = 300;
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) fs.add(s.publish(new Publication(null, prefix + "/" + (i % 5), utf8("m" + i), 1, false, null)));
            for (var f : fs) f.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> payloads.size() == n);
            System.out.println("shared subscription (Mosquitto): per worker " + perWorker);
            assertThat(perWorker).hasSize(3);
            assertThat(perWorker.values()).allSatisfy(c -> assertThat(c.get()).isPositive());
            assertThat(perWorker.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(n);
        }
    }

    private static final Path DYNSEC = Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so");

    /**
     * Mosquitto 2.0.11 grants every SUBSCRIBE under a plain {@code acl_file} (the ACL only filters delivery), so the
     * test ACL is a dynamic-security plugin configuration: anonymous clients may subscribe to {@code allowed/#} only.
     */
    private static TestSupport.Mosquitto aclMosquitto(Path dir) throws Exception {
        assumeTrue(Files.exists(DYNSEC), "mosquitto dynamic security plugin not found at " + DYNSEC + " - skipped");
        Files.createDirectories(dir);
        Path json = dir.resolve("dynsec.json");
        Files.writeString(json, """
                {
                  "defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true, "subscribe": false, "unsubscribe": true},
                  "clients": [],
                  "groups": [{"groupname": "anon", "roles": [{"rolename": "r"}]}],
                  "anonymousGroup": "anon",
                  "roles": [{"rolename": "r", "acls": [{"acltype": "subscribePattern", "topic": "allowed/#", "allow": true, "priority": 0}]}]
                }
                """);
        return new TestSupport.Mosquitto(dir, List.of("allow_anonymous true", "plugin " + DYNSEC, "plugin_opt_config_file " + json));
    }

    @Test
    void refusedSubscriptionLeavesTheSessionNotReadyWithTheReason() throws Exception {
        Path dir = tmp.resolve("acl");
        try (var mosq = aclMosquitto(dir);
             SessionManager sessions = new SessionManager()) {
            List<SessionEvent> events = new CopyOnWriteArrayList<>();
            sessions.addListener(events::add);
            MqttSession s = sessions.add(SessionConfig.builder(mosq.url()).clientId("acl-test").build());
            CompletableFuture<Void> ok = s.subscribe(SubscriptionSpec.of("allowed/+", 1), (m, a) -> a.complete(Outcome.HANDLED));
            CompletableFuture<Void> denied = s.subscribe(SubscriptionSpec.of("secret/+", 1), (m, a) -> a.complete(Outcome.HANDLED));
            s.connect();
            assertThatThrownBy(() -> s.awaitReady(Duration.ofSeconds(10)))
                    .isInstanceOf(SubscriptionRefusedException.class)
                    .hasMessageContaining("secret/+").hasMessageContaining("NOT_AUTHORIZED").hasMessageContaining(mosq.url());
            ok.get(5, TimeUnit.SECONDS);
            assertThat(denied).isCompletedExceptionally();
            SessionStatus st = s.status();
            assertThat(st.state()).isEqualTo(SessionState.CONNECTED);
            assertThat(st.isReady()).isFalse();
            assertThat(st.refused()).singleElement().satisfies(r -> {
                assertThat(r.filter()).isEqualTo("secret/+");
                assertThat(r.reason()).contains("NOT_AUTHORIZED");
                assertThat(r.reasonCode()).isEqualTo(0x87);
            });
            assertThat(st.stats().subscriptionsRefused()).isEqualTo(1);
            assertThat(events).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo(SessionEvent.Type.SUBSCRIPTION_REFUSED);
                assertThat(e.detail()).contains("secret/+");
            });
            assertThat(events).noneMatch(e -> e.type() == SessionEvent.Type.READY);
        }
    }

    @Test
    void refusedSubscriptionWithMqtt311() throws Exception {
        Path dir = tmp.resolve("acl3");
        try (var mosq = aclMosquitto(dir);
             SessionManager sessions = new SessionManager()) {
            MqttSession s = sessions.add(SessionConfig.builder(mosq.url()).clientId("acl-test3").protocolVersion(ProtocolVersion.MQTT_3_1_1).build());
            s.subscribe(SubscriptionSpec.of("secret/#", 1), (m, a) -> a.complete(Outcome.HANDLED));
            s.connect();
            assertThatThrownBy(() -> s.awaitReady(Duration.ofSeconds(10))).isInstanceOf(SubscriptionRefusedException.class)
                    .hasMessageContaining("secret/#");
            assertThat(s.status().refused()).singleElement().satisfies(r -> assertThat(r.reasonCode()).isEqualTo(0x80));
        }
    }

    @Test
    void badPasswordIsAnAuthenticationErrorNamingTheBroker() throws Exception {
        Path dir = tmp.resolve("auth");
        Files.createDirectories(dir);
        Path pw = dir.resolve("passwords");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", pw.toString(), "alice", "right").redirectErrorStream(true).start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mosquitto_passwd not available - skipped");
        try (var mosq = new TestSupport.Mosquitto(dir, List.of("allow_anonymous false", "password_file " + pw))) {
            for (ProtocolVersion v : ProtocolVersion.values()) {
                try (SessionManager sessions = new SessionManager()) {
                    MqttSession s = sessions.add(SessionConfig.builder(mosq.url()).credentials("alice", "wrong").protocolVersion(v)
                            .reconnect(ReconnectPolicy.of(Duration.ofMillis(500), Duration.ofSeconds(2))).build());
                    s.connect();
                    assertThatThrownBy(() -> s.awaitReady(Duration.ofSeconds(10)))
                            .isInstanceOf(AuthenticationException.class)
                            .hasMessageContaining(mosq.url()).hasMessageContaining("authentication failed")
                            .hasMessageNotContaining("wrong");
                }
                try (SessionManager sessions = new SessionManager()) {
                    MqttSession s = sessions.add(SessionConfig.builder(mosq.url()).credentials("alice", "right").protocolVersion(v).build());
                    s.connect();
                    s.awaitReady(Duration.ofSeconds(10));
                }
            }
        }
    }

    @Test
    void tlsWithGeneratedCaHostnameVerificationAndInsecure() throws Exception {
        Path dir = tmp.resolve("tls");
        Files.createDirectories(dir);
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=routemq-test-ca");
        cert(dir, "server", "IP:127.0.0.1,DNS:localhost");
        cert(dir, "wrong", "DNS:wrong.example");
        int good = TestSupport.freePort();
        int bad = TestSupport.freePort();
        List<String> conf = List.of("allow_anonymous true",
                "listener " + good + " 127.0.0.1", "cafile " + dir.resolve("ca.pem"), "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server.key"),
                "listener " + bad + " 127.0.0.1", "cafile " + dir.resolve("ca.pem"), "certfile " + dir.resolve("wrong.pem"),
                "keyfile " + dir.resolve("wrong.key"));
        try (var mosq = new TestSupport.Mosquitto(dir, good, conf, false)) {
            TestSupport.awaitPort(bad, Duration.ofSeconds(5));
            TlsConfig trusted = TlsConfig.builder().ca(dir.resolve("ca.pem")).build();
            // 1. trusted CA, matching host name: connects, and messages flow
            try (SessionManager sessions = new SessionManager()) {
                MqttSession s = sessions.add(SessionConfig.builder("mqtts://127.0.0.1:" + good).tls(trusted).build());
                List<String> got = new CopyOnWriteArrayList<>();
                s.subscribe(SubscriptionSpec.of("tls/#", 1), (m, a) -> {
                    got.add(m.topic());
                    a.complete(Outcome.HANDLED);
                });
                s.connect();
                s.awaitReady(Duration.ofSeconds(10));
                s.publish(new Publication(null, "tls/x", utf8("secret"), 1, false, null)).get(5, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("tls/x"));
            }
            // 2. certificate for another host name: a typed TLS error naming the broker
            try (SessionManager sessions = new SessionManager()) {
                MqttSession s = sessions.add(SessionConfig.builder("mqtts://127.0.0.1:" + bad).tls(trusted)
                        .reconnect(ReconnectPolicy.of(Duration.ofMillis(500), Duration.ofSeconds(2))).build());
                s.connect();
                assertThatThrownBy(() -> s.awaitReady(Duration.ofSeconds(10)))
                        .isInstanceOf(TlsException.class).hasMessageContaining("127.0.0.1:" + bad).hasMessageContaining("TLS");
            }
            // 3. no CA given: the JVM trust store does not know our CA
            try (SessionManager sessions = new SessionManager()) {
                MqttSession s = sessions.add(SessionConfig.builder("mqtts://127.0.0.1:" + good)
                        .reconnect(ReconnectPolicy.of(Duration.ofMillis(500), Duration.ofSeconds(2))).build());
                s.connect();
                assertThatThrownBy(() -> s.awaitReady(Duration.ofSeconds(10))).isInstanceOf(TlsException.class);
            }
            // 4. insecure: connects to the wrong-name certificate (and logs a warning)
            try (SessionManager sessions = new SessionManager()) {
                MqttSession s = sessions.add(SessionConfig.builder("mqtts://127.0.0.1:" + bad)
                        .tls(TlsConfig.builder().insecure(true).build()).build());
                s.connect();
                s.awaitReady(Duration.ofSeconds(10));
            }
            // 5. a client certificate from PEM files is accepted by the TLS setup (broker does not require it)
            try (SessionManager sessions = new SessionManager()) {
                MqttSession s = sessions.add(SessionConfig.builder("mqtts://127.0.0.1:" + good)
                        .tls(TlsConfig.builder().ca(dir.resolve("ca.pem")).clientCertificate(dir.resolve("wrong.pem"), dir.resolve("wrong.key")).build())
                        .build());
                s.connect();
                s.awaitReady(Duration.ofSeconds(10));
            }
        }
    }

    private static void cert(Path dir, String name, String san) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".pem",
                "-days", "2", "-extfile", name + ".ext");
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed or is absent - skipped: " + out);
    }

    /**
     * A 20,000-message QoS 1 burst into a slow handler with a small in-flight bound. Nothing is lost and the session
     * never disconnects: backpressure delays acks instead of relying on the broker honouring receive maximum.
     */
    @Test
    void burstIntoSlowHandlerLosesNothingAndNeverDisconnects() throws Exception {
        Path dir = tmp.resolve("burst");
        try (var mosq = new TestSupport.Mosquitto(dir, List.of("allow_anonymous true", "max_queued_messages 0", "max_inflight_messages 0"))) {
            Result r = burst(mosq, 65535, 20_000);
            System.out.printf("mosquitto burst (receiveMaximum 65535, maxInFlight 16): sent=%d received=%d unique=%d lost=%d disconnects=%d in %d ms%n",
                    r.sent, r.received, r.unique, r.sent - r.unique, r.disconnects, r.millis);
            assertThat(r.unique).isEqualTo(r.sent);
            assertThat(r.disconnects).isZero();
        }
    }

    record Result(int sent, long received, int unique, long disconnects, long millis) {
    }

    static Result burst(TestSupport.Mosquitto mosq, int receiveMaximum, int n) throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger received = new AtomicInteger();
        SessionManager sessions = new SessionManager();
        sessions.add(SessionConfig.builder(mosq.url()).clientId("burst-sub").persistentSession(Duration.ofMinutes(5))
                .receiveMaximum(receiveMaximum).maxInFlight(16).reconnect(ReconnectPolicy.of(Duration.ofMillis(200), Duration.ofSeconds(1))).build());
        Router router = Router.create();
        router.on("burst/{lane}/{n}", ctx -> {
            received.incrementAndGet();
            seen.add(new String(ctx.payload(), StandardCharsets.UTF_8));
            Thread.sleep(1);
        }).qos(1).unordered();
        Dispatcher d = Dispatcher.builder(router.build()).publisher(sessions).maxInFlight(16).build();
        MqttApplication app = MqttApplication.builder(sessions).dispatcher(d).build();
        app.start();
        app.awaitReady(Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        try (SessionManager pubs = new SessionManager()) {
            MqttSession p = pubs.add(SessionConfig.builder(mosq.url()).clientId("burst-pub").build());
            p.connect();
            p.awaitReady(Duration.ofSeconds(10));
            List<CompletableFuture<Void>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) fs.add(p.publish(new Publication(null, "burst/" + (i % 32) + "/" + i, utf8("m" + i), 1, false, null)));
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> seen.size() >= n);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long disconnects = sessions.status("default").stats().disconnects();
        app.stop(Duration.ofSeconds(10));
        d.close();
        log.info("burst done");
        return new Result(n, received.get(), seen.size(), disconnects, ms);
    }
}
