package io.routemq.bench.e2e;

import io.routemq.core.Dispatcher;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.mqtt.MqttApplication;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.QueueConfig;
import io.routemq.queue.QueueStore;
import io.routemq.server.gateway.DeliveryWorker;
import io.routemq.server.gateway.RetryPolicy;
import io.routemq.server.gateway.SinkListener;
import io.routemq.sink.http.HttpSink;
import io.routemq.sink.http.HttpSinkConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * MQTT to HTTP through the durable queue, on the gateway runtime ({@code io.routemq.server.gateway}):
 * <ol>
 *   <li>a forward route on the {@link Dispatcher} (its terminal sink step) matches the route, appends
 *       the envelope to the {@link DurableQueue} and completes the MQTT acknowledgement when the append is durable
 *       (after fsync with the default policy): a PUBACK means "durably stored";</li>
 *   <li>one {@link DeliveryWorker} reads the queue, hands envelopes to the {@link HttpSink} (per message: up to its
 *       {@code maxBatch} concurrent requests; batched: one JSON array per request), retries and commits;</li>
 *   <li>the {@link HttpReceiver} records each payload on arrival.</li>
 * </ol>
 */
final class HttpScenario implements Scenario {
    /** Messages the enqueue step may have waiting for durability (the gateway's own default is its config's). */
    private static final int ENQUEUE_IN_FLIGHT = 1024;

    private final MqttApplication app;
    private final DeliveryWorker worker;
    private final HttpSink sink;
    private final QueueStore store;
    private final DurableQueue queue;
    private final HttpReceiver receiver;
    private final Counters counters;
    private final Path dir;
    private final String description;
    private long[] lastCounts = new long[3];

    /** Delivery counters from the worker. */
    private static final class Counters implements SinkListener {
        final LongAdder retried = new LongAdder();
        final LongAdder deadLettered = new LongAdder();

        @Override
        public void retried(String sink, String error) {
            retried.increment();
        }

        @Override
        public void deadLettered(String sink, String error) {
            deadLettered.increment();
        }
    }

    private HttpScenario(MqttApplication app, DeliveryWorker worker, HttpSink sink, QueueStore store, DurableQueue queue,
                         HttpReceiver receiver, Counters counters, Path dir, String description) {
        this.app = app;
        this.worker = worker;
        this.sink = sink;
        this.store = store;
        this.queue = queue;
        this.receiver = receiver;
        this.counters = counters;
        this.dir = dir;
        this.description = description;
    }

    static HttpScenario start(BrokerTarget broker, int qos, ReceiptSlot slot, int batch, BenchConfig config, Path workDir)
            throws Exception {
        HttpReceiver receiver = HttpReceiver.start(slot);
        Path dir = Files.createDirectories(workDir).resolve("queue-" + System.nanoTime());
        QueueStore store = QueueStore.open(QueueConfig.builder(dir).fsync(config.fsync()).build());
        DurableQueue queue = store.queue("bench-http");
        HttpSinkConfig.Builder sc = HttpSinkConfig.builder("bench-http").url(receiver.url());
        if (batch > 1) sc.batch(batch, Duration.ofMillis(5));
        HttpSink sink = new HttpSink(sc.build());
        Router router = Router.create();
        router.forward("site/{site}/device/{id}/telemetry").to("bench-http").name("telemetry").qos(qos);
        RouteTable table = router.build();
        SinkAppender appender = new SinkAppender() {
            @Override
            public Set<String> sinks() {
                return Set.of("bench-http");
            }

            @Override
            public CompletableFuture<Void> append(List<String> sinks, Envelope envelope) {
                return queue.append(envelope.encode()).thenApply(offset -> null);
            }
        };
        Dispatcher dispatcher = Dispatcher.builder(table).sinks(appender).maxInFlight(ENQUEUE_IN_FLIGHT).build();
        SessionManager sessions = new SessionManager();
        sessions.add(SessionConfig.builder(broker.url()).clientId("routemq-bench-http-" + ProcessHandle.current().pid()).build());
        MqttApplication app = MqttApplication.builder(sessions).dispatcher(dispatcher).build();
        Counters counters = new Counters();
        DeliveryWorker worker = DeliveryWorker.start(sink, queue, RetryPolicy.defaults(), counters);
        app.start();
        try {
            app.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            app.stop(Duration.ofSeconds(5));
            worker.close();
            sink.close();
            store.close();
            receiver.close();
            throw e;
        }
        String d = "MqttApplication -> Dispatcher -> forward route -> DurableQueue (fsync " + config.fsync() + ") -> DeliveryWorker -> HttpSink ("
                + (batch > 1 ? "batch " + batch + ", linger 5ms" : "per message, up to " + sink.maxBatch() + " concurrent")
                + ", body envelope, HTTP/1.1) -> JDK HttpServer on 127.0.0.1";
        return new HttpScenario(app, worker, sink, store, queue, receiver, counters, dir, d);
    }

    @Override
    public String describe() {
        return description;
    }

    /** The counters since the previous call (each phase calls it at its start and end). */
    @Override
    public synchronized String notes() {
        long[] now = {receiver.requests(), counters.retried.sum(), counters.deadLettered.sum()};
        String s = (now[0] - lastCounts[0]) + " HTTP requests, " + (now[1] - lastCounts[1]) + " delivery retries, "
                + (now[2] - lastCounts[2]) + " dead-lettered";
        lastCounts = now;
        return s;
    }

    @Override
    public void close() {
        try {
            app.stop(Duration.ofSeconds(30));
            worker.stop(true, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.close();
        sink.close();
        store.close();
        receiver.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left behind in the results folder
        }
    }
}
