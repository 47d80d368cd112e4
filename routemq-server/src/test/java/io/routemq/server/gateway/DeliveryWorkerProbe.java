package io.routemq.server.gateway;

import io.routemq.core.sink.Envelope;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.QueueConfig;
import io.routemq.queue.QueueStore;
import io.routemq.sink.http.Batch;
import io.routemq.sink.http.HttpSink;
import io.routemq.sink.http.HttpSinkConfig;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Throughput probe (not a test): one {@link DeliveryWorker} drains a backlog of envelopes from a durable queue into a
 * batched {@link HttpSink} (100 per request, linger 5 ms) and a {@link TestReceiver} in the same JVM that answers
 * 200 after a fixed delay (a remote receiver's round trip), with {@code maxInFlight} 1 (one batch in flight, as the
 * worker was before it kept several) and 64. Topics as in the end-to-end bench: 4 publishers, each cycling through
 * its 250 of 1,000 topics, interleaved. Prints msg/s and the process's CPU per message (worker and receiver).
 * <pre>
 * ./mvnw -q -o -pl routemq-server test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp routemq-server/target/test-classes:routemq-server/target/classes:$(cat routemq-server/target/cp.txt) \
 *      io.routemq.server.gateway.DeliveryWorkerProbe [messages 30000] [receiver delay ms 0] [rounds 2]
 * </pre>
 */
public final class DeliveryWorkerProbe {

    private DeliveryWorkerProbe() {
    }

    /** Runs the probe; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int delayMs = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path dir = Files.createTempDirectory("routemq-delivery-probe");
        for (int round = 1; round <= rounds; round++) {
            for (int inFlight : new int[] {1, 64}) {
                run(dir.resolve("r" + round + "-" + inFlight), messages, delayMs, inFlight, round);
            }
        }
    }

    private static void run(Path dir, int messages, int delayMs, int inFlight, int round) throws Exception {
        try (TestReceiver receiver = TestReceiver.start("probe");
             QueueStore store = QueueStore.open(QueueConfig.builder(dir).fsync(FsyncPolicy.never()).build())) {
            if (delayMs > 0) receiver.responder((n, path, body) -> {
                Thread.sleep(delayMs);
                return 200;
            });
            DurableQueue q = store.queue("probe");
            List<byte[]> records = new ArrayList<>(messages);
            int[] next = new int[4];
            for (int n = 0; n < messages; n++) {
                int p = n % 4;
                int topic = (next[p]++ % 250) * 4 + p;
                byte[] payload = ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
                records.add(new Envelope("r", "s", "site/device/" + topic + "/telemetry", Map.of(), payload, 1, false, List.of(), null,
                        System.currentTimeMillis()).encode());
            }
            q.appendAll(records).get();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            HttpSink sink = new HttpSink(HttpSinkConfig.builder("probe").urls(List.of(URI.create(receiver.url("/in"))))
                    .batch(new Batch(100, Duration.ofMillis(5))).maxInFlight(inFlight).build());
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            DeliveryWorker w = DeliveryWorker.start(sink, q, RetryPolicy.defaults(), null);
            while (q.committedOffset() < messages - 1) Thread.sleep(1);
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            w.close();
            sink.close();
            System.out.printf("round %d, receiver delay %d ms, maxInFlight %2d: %,8.0f msg/s, %6.1f µs CPU/msg, %d requests%n",
                    round, delayMs, inFlight, messages / (wall / 1e9), cpu / 1e3 / messages, receiver.requests());
        }
    }
}
