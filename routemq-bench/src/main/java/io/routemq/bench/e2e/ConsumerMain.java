package io.routemq.bench.e2e;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.routemq.core.Context;
import io.routemq.core.Handler;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.mqtt.MqttApplication;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The consumer under test of one bench scenario, run by the bench as a child JVM so that its CPU and heap are its
 * own: the raw HiveMQ client, RouteMQ's framework path (router, 2 middleware, counting handler on
 * {@link MqttApplication}), or the simplest lossless MQTT-to-HTTP forwarder. It records what it receives into a
 * {@link Receipts} whose counts it shares through a memory-mapped {@link SharedCounter}, and obeys one-line commands
 * on stdin, answering on stdout with lines that start with {@code @bench}:
 * <pre>
 * phase N   new receipts for bench phase N (after a full GC)   -> @bench ok
 * report    the phase's receipts, then a full GC and the heap  -> @bench report HEAP_BYTES SUMMARY
 * stop      disconnect and exit (also on end of input)
 * </pre>
 * Once subscribed it prints {@code @bench ready}. Logs go to stderr.
 */
public final class ConsumerMain {
    @Option(names = "--kind", required = true, description = "raw, router, router-nb or forwarder")
    String kind;
    @Option(names = "--broker", required = true, description = "mqtt://host:port")
    String broker;
    @Option(names = "--qos", defaultValue = "1")
    int qos;
    @Option(names = "--sites", defaultValue = "10")
    int sites;
    @Option(names = "--devices", defaultValue = "100")
    int devices;
    @Option(names = "--routes", defaultValue = "1", description = "routes in the table (router)")
    int routes;
    @Option(names = "--counter", required = true, description = "the shared counter file")
    Path counterFile;
    @Option(names = "--forward", description = "the URL the forwarder POSTs each payload to")
    String forward;
    @Option(names = "--forward-concurrency", defaultValue = "64", description = "requests the forwarder keeps in flight")
    int concurrency;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsumerMain.class);

    /** The receive maximum every MQTT consumer of the bench asks for, raw or RouteMQ. */
    static final int RECEIVE_MAXIMUM = 65535;

    private ConsumerMain() {
    }

    /** Runs one consumer until {@code stop} or the end of stdin. */
    public static void main(String[] args) throws Exception {
        ConsumerMain m = new ConsumerMain();
        new CommandLine(m).parseArgs(args);
        System.exit(m.run());
    }

    private int run() throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        TopicTree tree = new TopicTree(sites, devices);
        try (SharedCounter counter = SharedCounter.open(counterFile)) {
            ReceiptSlot slot = new ReceiptSlot();
            AutoCloseable consumer = switch (kind) {
                case "raw" -> raw(slot);
                case "router" -> router(slot, tree, false);
                case "router-nb" -> router(slot, tree, true);
                case "forwarder" -> forwarder();
                default -> throw new IllegalArgumentException("--kind '" + kind + "': use raw, router, router-nb or forwarder");
            };
            out.println("@bench ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (consumer) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] cmd = line.strip().split(" ");
                    switch (cmd[0]) {
                        case "phase" -> {
                            fullGc();
                            counter.reset();
                            slot.set(new Receipts(Byte.parseByte(cmd[1]), tree.size(), counter));
                            out.println("@bench ok");
                        }
                        case "report" -> {
                            Receipts.Summary s = slot.get().summary();
                            fullGc();
                            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                            out.println("@bench report " + heap + " " + s.encode());
                        }
                        case "stop" -> {
                            return 0;
                        }
                        default -> out.println("@bench error unknown command '" + line + "'");
                    }
                }
            }
        }
        return 0;
    }

    private static void fullGc() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        System.gc();
    }

    private Mqtt5AsyncClient connect(String name) throws Exception {
        URI uri = URI.create(broker);
        Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5()
                .identifier("routemq-bench-" + name + "-" + ProcessHandle.current().pid())
                .serverHost(uri.getHost()).serverPort(uri.getPort()).buildAsync();
        c.connectWith().cleanStart(true).restrictions().receiveMaximum(RECEIVE_MAXIMUM).applyRestrictions().send()
                .get(30, TimeUnit.SECONDS);
        return c;
    }

    private static AutoCloseable disconnecting(Mqtt5AsyncClient c) {
        return () -> c.disconnect().get(10, TimeUnit.SECONDS);
    }

    /** The baseline: the HiveMQ client with a subscription callback (it acknowledges when the callback returns). */
    private AutoCloseable raw(ReceiptSlot slot) throws Exception {
        Mqtt5AsyncClient c = connect("raw");
        c.subscribeWith().topicFilter(TopicTree.filter()).qos(MqttQos.fromCode(qos))
                .callback(p -> slot.record(p.getPayloadAsBytes())).send().get(30, TimeUnit.SECONDS);
        return disconnecting(c);
    }

    /**
     * RouteMQ's framework path: MqttApplication on a SessionManager, a router with 2 middleware and a counting handler;
     * with {@code nonBlocking}, the telemetry route is declared non-blocking.
     */
    private AutoCloseable router(ReceiptSlot slot, TopicTree tree, boolean nonBlocking) throws Exception {
        LongAdder elsewhere = new LongAdder();
        RouteTable table = table(routes, tree, qos, ctx -> slot.record(ctx.payload()), ctx -> elsewhere.increment(), nonBlocking);
        SessionManager sessions = new SessionManager();
        sessions.add(SessionConfig.builder(broker).clientId("routemq-bench-router-" + ProcessHandle.current().pid())
                .receiveMaximum(RECEIVE_MAXIMUM).build());
        MqttApplication app = MqttApplication.builder(sessions).routes(table).build();
        app.start();
        try {
            app.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            app.stop(Duration.ofSeconds(5));
            throw e;
        }
        return () -> {
            app.stop(Duration.ofSeconds(30));
            if (elsewhere.sum() > 0) LOG.warn("{} messages reached a non-telemetry route", elsewhere.sum());
        };
    }

    /**
     * The framework consumer's route table: the telemetry route among {@code routes} routes in all
     * ({@link RouteSets}), behind the two global middleware. Also measured alone by {@link TableHeap}.
     */
    static RouteTable table(int routes, TopicTree tree, int qos, Handler telemetry, Handler other, boolean nonBlocking) {
        Router router = Router.create();
        router.middleware(new SiteCheck(), new Counting(new LongAdder()));
        var route = router.on("site/{site}/device/{id}/telemetry", telemetry).name("telemetry").qos(qos);
        if (nonBlocking) route.nonBlocking();
        if (routes > 1) RouteSets.addRealisticRoutes(router, routes - 1, tree, telemetry, other, qos);
        return router.build();
    }

    /**
     * The simplest lossless forwarder: the HiveMQ client with manual acknowledgement; each message is POSTed (its payload
     * as the body) with the JDK HttpClient, at most {@code --forward-concurrency} requests in flight, and acknowledged
     * only after a 2xx (anything else is retried after 100ms).
     */
    private AutoCloseable forwarder() throws Exception {
        if (forward == null) throw new IllegalArgumentException("--forward is required with --kind forwarder");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        URI target = URI.create(forward);
        Semaphore inFlight = new Semaphore(concurrency);
        Mqtt5AsyncClient c = connect("forwarder");
        c.subscribeWith().topicFilter(TopicTree.filter()).qos(MqttQos.fromCode(qos))
                .callback(p -> {
                    inFlight.acquireUninterruptibly();
                    post(http, target, p, inFlight);
                })
                .manualAcknowledgement(qos > 0).send().get(30, TimeUnit.SECONDS);
        return () -> {
            c.disconnect().get(10, TimeUnit.SECONDS);
            http.close();
        };
    }

    private void post(HttpClient http, URI target, Mqtt5Publish p, Semaphore inFlight) {
        HttpRequest req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(p.getPayloadAsBytes())).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, error) -> {
            if (error == null && resp.statusCode() / 100 == 2) {
                if (qos > 0) p.acknowledge();
                inFlight.release();
            } else {
                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> post(http, target, p, inFlight));
            }
        });
    }

    /**
     * Middleware 1: checks the site level of the topic, as an authorisation step would; filters what fails. (It reads
     * the topic, not {@code ctx.param("site")}: literal routes of the 10k table have no parameters.)
     */
    static final class SiteCheck implements Middleware {
        @Override
        public void handle(Context ctx, Next next) throws Exception {
            if (ctx.topic().startsWith("site/s")) next.proceed(ctx);
        }
    }

    /** Middleware 2: counts, as a metrics step would. */
    static final class Counting implements Middleware {
        private final LongAdder count;

        Counting(LongAdder count) {
            this.count = count;
        }

        @Override
        public void handle(Context ctx, Next next) throws Exception {
            count.increment();
            next.proceed(ctx);
        }
    }
}
