package io.routemq.bench.e2e;

import io.routemq.queue.FsyncPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A scenario whose consumer under test is a child JVM ({@link ChildJvm}):
 * <ul>
 *   <li>{@code raw}, {@code router}, {@code router10k}: {@link ConsumerMain} records receipts itself and shares the
 *       counts through a {@link SharedCounter};</li>
 *   <li>{@code forwarder}: {@link ConsumerMain} forwards to an {@link HttpReceiver} in the bench process, which records
 *       the receipts;</li>
 *   <li>{@code queue}, {@code http}, {@code http-batch}: the real gateway ({@code routemq run --config <generated>},
 *       main class {@code io.routemq.server.cli.RouteMqCli}, from the class path of a {@link GatewayBuild}) forwards to
 *       the {@link HttpReceiver}; in {@code queue} its sink is {@code discard: {}} (where the build has it) and
 *       {@link GatewayCounts} counts from the queue's files and the gateway's {@code /health}.</li>
 * </ul>
 */
final class ChildScenario implements Scenario {
    private static final String GATEWAY_MAIN = "io.routemq.server.cli.RouteMqCli";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private final ChildJvm jvm;
    private final boolean control;
    private final SharedCounter counter;
    private final HttpReceiver receiver;
    private final ReceiptSlot slot;
    private final GatewayCounts counts;
    private final int topics;
    private final String description;
    private final Path dir;
    private long heap = -1;
    private long lastRequests;

    private ChildScenario(ChildJvm jvm, boolean control, SharedCounter counter, HttpReceiver receiver, ReceiptSlot slot, int topics,
                          String description, Path dir) {
        this(jvm, control, counter, receiver, slot, null, topics, description, dir);
    }

    private ChildScenario(ChildJvm jvm, boolean control, SharedCounter counter, HttpReceiver receiver, ReceiptSlot slot,
                          GatewayCounts counts, int topics, String description, Path dir) {
        this.jvm = jvm;
        this.control = control;
        this.counter = counter;
        this.receiver = receiver;
        this.slot = slot;
        this.counts = counts;
        this.topics = topics;
        this.description = description;
        this.dir = dir;
    }

    /**
     * raw ({@code kind} "raw") or the framework path ("router" with {@code routes} routes; "router-nb" with the route
     * declared non-blocking).
     */
    static ChildScenario client(String kind, int routes, BrokerTarget broker, int qos, BenchConfig config, Path workDir, String tag)
            throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(tag));
        SharedCounter counter = SharedCounter.open(dir.resolve("counter"));
        List<String> args = consumerArgs(kind, broker, qos, config, dir);
        args.addAll(List.of("--routes", Integer.toString(routes)));
        ChildJvm jvm = startConsumer(tag, config, args, counter::close);
        String d = kind.equals("raw")
                ? "HiveMQ Mqtt5AsyncClient, subscribe " + TopicTree.filter() + ", callback (acks when it returns), receiveMaximum "
                        + ConsumerMain.RECEIVE_MAXIMUM
                : "MqttApplication on a SessionManager (receiveMaximum " + ConsumerMain.RECEIVE_MAXIMUM + "), Dispatcher defaults, "
                        + routes + " route(s), 2 global pass-through middleware, a counting handler"
                        + (kind.equals("router-nb") ? ", the route nonBlocking() (runs on the client's thread)" : "");
        return new ChildScenario(jvm, true, counter, null, null, config.tree().size(), d + "; own JVM " + jvmLine(config), dir);
    }

    /** Starts a ConsumerMain JVM and waits for its "ready"; on failure closes it, then {@code onFailure}. */
    private static ChildJvm startConsumer(String tag, BenchConfig config, List<String> args, AutoCloseable onFailure) throws Exception {
        ChildJvm jvm = null;
        try {
            jvm = ChildJvm.start(tag, ChildJvm.command(config.consumerJvmOptions(), ConsumerMain.class.getName(), args), log(config, tag), true);
            jvm.await("ready", START_TIMEOUT);
            return jvm;
        } catch (Exception e) {
            if (jvm != null) jvm.close();
            onFailure.close();
            throw e;
        }
    }

    /** The simplest lossless forwarder: the raw client acknowledging each message after a 2xx from the JDK HttpClient. */
    static ChildScenario forwarder(BrokerTarget broker, int qos, BenchConfig config, Path workDir, String tag) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(tag));
        ReceiptSlot slot = new ReceiptSlot();
        HttpReceiver receiver = HttpReceiver.start(slot);
        List<String> args = consumerArgs("forwarder", broker, qos, config, dir);
        args.addAll(List.of("--forward", receiver.url(), "--forward-concurrency", Integer.toString(config.httpConcurrency())));
        ChildJvm jvm = startConsumer(tag, config, args, receiver::close);
        String d = "HiveMQ Mqtt5AsyncClient with manual acknowledgement; each payload POSTed as the body by the JDK HttpClient "
                + "(HTTP/1.1, at most " + config.httpConcurrency() + " in flight) and acknowledged after the 2xx; -> "
                + "JDK HttpServer in the bench process; own JVM " + jvmLine(config);
        return new ChildScenario(jvm, true, null, receiver, slot, config.tree().size(), d, dir);
    }

    /**
     * The gateway of {@code build} in its own JVM with a generated config: durable queue, then the HTTP sink to the
     * receiver in the bench process, or (in {@code queue}, where the build has it) the discard sink, counted by
     * {@link GatewayCounts}. Every build runs with the same JVM options and the same Logback file (the bench's, copied
     * into the work folder: another build's class path does not hold it).
     */
    static ChildScenario gateway(ScenarioKind kind, GatewayBuild build, BrokerTarget broker, int qos, BenchConfig config, Path workDir,
                                 String tag) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(tag));
        int admin = freePort();
        boolean discard = kind == ScenarioKind.QUEUE && build.hasDiscardSink();
        ReceiptSlot slot = discard ? null : new ReceiptSlot();
        HttpReceiver receiver = discard ? null : HttpReceiver.start(slot);
        String http = switch (kind) {
            case QUEUE -> "body: envelope, batch: { size: " + config.queueBatch() + ", linger: 20ms }";
            case HTTP -> "body: raw";
            default -> "body: envelope, batch: { size: " + config.httpBatch() + ", linger: 5ms }";
        };
        String sink = discard ? "discard: {}"
                : "http: { urls: ['" + receiver.url() + "'], " + http + ", maxInFlight: " + config.httpConcurrency() + " }";
        String yaml = gatewayConfig(broker, qos, sink, config.gatewayMiddleware(), config.fsync(), dir.resolve("queue"), admin);
        Path file = dir.resolve("routemq.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        Files.writeString(config.out().resolve("logs").resolve(tag + ".yaml"), yaml, StandardCharsets.UTF_8);
        ChildJvm jvm = null;
        try {
            List<String> command = ChildJvm.command(config.consumerJvmOptions(), build.effectiveClassPath(), logbackFile(workDir).toString(),
                    GATEWAY_MAIN, List.of("run", "--config", file.toString()));
            jvm = ChildJvm.start(tag, command, log(config, tag), false);
            awaitHealthy(jvm, admin, log(config, tag));
        } catch (Exception e) {
            if (jvm != null) jvm.terminate();
            if (receiver != null) receiver.close();
            throw e;
        }
        String head = "the gateway " + build.describe() + " (`routemq run`, own JVM " + jvmLine(config) + "), route qos " + qos
                + " -> durable queue (fsync " + config.fsync() + ") -> ";
        if (discard) {
            String d = head + "sink discard: {}; a message counts when the gateway has durably enqueued (and acknowledged) it, "
                    + "as the bench sees it in the queue's segment file (read every " + GatewayCounts.TAIL_MILLIS + " ms), "
                    + "and must then be taken by the sink (the queue's nextOffset and committedOffset in /health at the end "
                    + "of the phase: no latency, duplicates or order); config in logs/" + tag + ".yaml";
            GatewayCounts counts = new GatewayCounts(admin, dir.resolve("queue"), "out");
            return new ChildScenario(jvm, false, null, null, null, counts, config.tree().size(), d, dir);
        }
        String d = head + "HTTP sink {" + http + ", maxInFlight " + config.httpConcurrency() + "} -> JDK HttpServer in the "
                + "bench process" + (kind == ScenarioKind.QUEUE ? " (this build has no discard sink: a large batch to a receiver "
                + "that answers 200 at once stands in for one)" : "") + "; config in logs/" + tag + ".yaml";
        return new ChildScenario(jvm, false, null, receiver, slot, config.tree().size(), d, dir);
    }

    /**
     * The gateway config of one scenario (YAML; every key in docs/config.md); {@code sink} is the sink's one line,
     * {@code middleware} the route's middleware list or null.
     */
    static String gatewayConfig(BrokerTarget broker, int qos, String sink, String middleware, FsyncPolicy fsync, Path queueDir,
                                int adminPort) {
        String f = switch (fsync.mode()) {
            case ALWAYS -> "fsync: always";
            case NEVER -> "fsync: never";
            default -> "fsync: interval, fsyncInterval: " + fsync.interval().toMillis() + "ms";
        };
        return "# generated by routemq bench\n"
                + "brokers:\n"
                + "  bench:\n"
                + "    url: " + broker.url() + "\n"
                + "    clientId: routemq-bench-gateway-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000 + "\n"
                + "    receiveMaximum: " + ConsumerMain.RECEIVE_MAXIMUM + "\n"
                + "broker: { enabled: false }\n"
                + "routes:\n"
                + "  - name: telemetry\n"
                + "    topic: site/{site}/device/{id}/telemetry\n"
                + "    qos: " + qos + "\n"
                + (middleware == null ? "" : "    middleware: " + middleware + "\n")
                + "    to: [out]\n"
                + "sinks:\n"
                + "  out:\n"
                + "    " + sink + "\n"
                + "queue: { dir: '" + queueDir + "', " + f + " }\n"
                + "admin: { enabled: true, bind: 127.0.0.1, port: " + adminPort + " }\n"
                + "logging: { level: warn }\n";
    }

    /** The bench's Logback configuration as a file in the work folder, for a gateway build's class path. */
    private static Path logbackFile(Path workDir) throws IOException {
        Path file = workDir.resolve(ChildJvm.LOGBACK_CONFIG);
        if (!Files.exists(file)) {
            try (InputStream in = ChildScenario.class.getClassLoader().getResourceAsStream(ChildJvm.LOGBACK_CONFIG)) {
                if (in == null) throw new IOException(ChildJvm.LOGBACK_CONFIG + " is missing from the bench's class path; rebuild routemq-bench");
                Files.copy(in, file);
            }
        }
        return file.toAbsolutePath();
    }

    private static List<String> consumerArgs(String kind, BrokerTarget broker, int qos, BenchConfig config, Path dir) {
        return new ArrayList<>(List.of("--kind", kind, "--broker", broker.url(), "--qos", Integer.toString(qos),
                "--sites", Integer.toString(config.sites()), "--devices", Integer.toString(config.devices()),
                "--counter", dir.resolve("counter").toString()));
    }

    private static Path log(BenchConfig config, String tag) {
        return config.out().resolve("logs").resolve(tag + ".log");
    }

    private static String jvmLine(BenchConfig config) {
        return "(" + String.join(" ", config.consumerJvmOptions()) + ")";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls the gateway's /health until it answers 200 (every session subscribed, every worker running). */
    private static void awaitHealthy(ChildJvm jvm, int port, Path log) throws Exception {
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!jvm.alive()) throw new IllegalStateException("the gateway process exited before it was healthy; see " + log);
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) return;
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the gateway was not healthy (GET " + health + ") within " + START_TIMEOUT.toSeconds() + "s; see " + log);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long pid() {
        return jvm.pid();
    }

    @Override
    public void begin(byte phase) throws InterruptedException {
        if (slot != null) slot.set(new Receipts(phase, topics));
        if (counts != null) {
            try {
                counts.begin();
            } catch (IOException e) {
                throw new IllegalStateException("the gateway's counts at the start of the phase: " + e, e);
            }
        }
        if (control) jvm.command("phase " + phase, "ok", Duration.ofSeconds(60));
        heap = -1;
    }

    @Override
    public long distinct() {
        return counter != null ? counter.distinct() : counts != null ? counts.received() : slot.get().distinct();
    }

    @Override
    public Receipts.Summary finish() throws InterruptedException {
        Receipts.Summary local;
        try {
            local = counts != null ? counts.summary(30_000) : slot == null ? null : slot.get().summary();
        } catch (IOException e) {
            throw new IllegalStateException("the gateway's counts at the end of the phase: " + e, e);
        }
        if (!control) return local;
        String reply = jvm.command("report", "report", Duration.ofSeconds(60));
        int space = reply.indexOf(' ');
        heap = Long.parseLong(reply.substring(0, space));
        return local != null ? local : Receipts.Summary.decode(reply.substring(space + 1));
    }

    @Override
    public long heapAfterGc() {
        return heap;
    }

    @Override
    public synchronized String notes() {
        if (counts != null) return counts.describe();
        if (receiver == null) return "";
        long now = receiver.requests();
        String s = (now - lastRequests) + " HTTP requests";
        lastRequests = now;
        return s;
    }

    @Override
    public void close() {
        if (control) jvm.close();
        else jvm.terminate();
        if (receiver != null) receiver.close();
        if (counts != null) counts.close();
        if (counter != null) counter.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left behind in the results folder
        }
    }
}
