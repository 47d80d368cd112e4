package io.routemq.sink.http.bench;

import com.sun.net.httpserver.HttpServer;
import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import io.routemq.sink.http.HttpSink;
import io.routemq.sink.http.HttpSinkConfig;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput probe (not a test): per-message vs batched delivery of 20k envelopes with 100-byte payloads to a JDK
 * HttpServer receiver running in a child JVM, so the CPU time printed is the forwarder's alone. It calls
 * {@code deliver} the way one delivery worker would: sequentially, {@code maxBatch()} envelopes at a time.
 * <pre>
 * ./mvnw -q -o -pl routemq-sinks/routemq-sink-http test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp routemq-sinks/routemq-sink-http/target/test-classes:routemq-sinks/routemq-sink-http/target/classes:$(cat routemq-sinks/routemq-sink-http/target/cp.txt) \
 *      io.routemq.sink.http.bench.HttpSinkProbe [messages] [rounds]
 * </pre>
 */
public final class HttpSinkProbe {

    private HttpSinkProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("receiver")) {
            receiver();
            return;
        }
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;

        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), HttpSinkProbe.class.getName(), "receiver")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            URI uri = URI.create("http://127.0.0.1:" + out.readLine().strip() + "/ingest");
            List<Envelope> envs = envelopes(messages);
            System.out.printf(Locale.ROOT, "HttpSinkProbe: %d envelopes, 100 B payloads, envelope body, receiver in a child JVM, %d cores, JDK %s%n",
                    messages, Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.printf(Locale.ROOT, "%-26s %6s %9s %9s %10s %9s %11s %11s%n",
                    "mode", "round", "requests", "wall ms", "msg/s", "cpu ms", "cpu us/msg", "cpu us/req");

            HttpSinkConfig perMessage = HttpSinkConfig.builder("probe").url(uri).build();
            HttpSinkConfig batched = HttpSinkConfig.builder("probe").url(uri).batch(100, Duration.ofMillis(50)).build();
            run("warm-up per-message", perMessage, envelopes(5_000), 1);
            run("warm-up batched", batched, envelopes(5_000), 1);
            run("per-message (maxInFlight 64)", perMessage, envs, rounds);
            run("batched (size 100)", batched, envs, rounds);
        } finally {
            child.destroy();
        }
    }

    private static void run(String label, HttpSinkConfig cfg, List<Envelope> envs, int rounds) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (HttpSink sink = new HttpSink(cfg)) {
            int step = sink.maxBatch();
            for (int round = 1; round <= rounds; round++) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                long delivered = 0;
                for (int i = 0; i < envs.size(); i += step) {
                    for (DeliveryResult r : sink.deliver(envs.subList(i, Math.min(envs.size(), i + step)))) {
                        if (r instanceof DeliveryResult.Delivered) delivered++;
                        else throw new IllegalStateException("probe delivery failed: " + r);
                    }
                }
                long wall = System.nanoTime() - t0;
                long cpu = os.getProcessCpuTime() - cpu0;
                long requests = cfg.batch().enabled() ? (envs.size() + cfg.batch().size() - 1) / cfg.batch().size() : envs.size();
                if (!label.startsWith("warm-up")) {
                    System.out.printf(Locale.ROOT, "%-26s %6d %9d %9.0f %10.0f %9.0f %11.1f %11.1f%n", label, round, requests,
                            wall / 1e6, delivered / (wall / 1e9), cpu / 1e6, cpu / 1e3 / delivered, cpu / 1e3 / requests);
                }
            }
        }
    }

    private static List<Envelope> envelopes(int n) {
        List<Envelope> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String p = String.format(Locale.ROOT, "{\"seq\":%08d,\"temp\":21.5,\"unit\":\"C\",\"line\":\"l1\",\"machine\":\"m-7\",\"ok\":true,\"pad\":\"%s\"}", i, "x");
            StringBuilder payload = new StringBuilder(p);
            while (payload.length() < 100) payload.insert(payload.length() - 2, 'x');
            out.add(new Envelope("telemetry", "plant", "plant/l1/machine/m-7/telemetry", Map.of("line", "l1", "id", "m-7"),
                    payload.toString().getBytes(StandardCharsets.UTF_8), 1, false, List.of(), null, System.currentTimeMillis()));
        }
        return out;
    }

    /** The child: a JDK HttpServer that reads each body and answers 204. */
    private static void receiver() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        AtomicLong bytes = new AtomicLong();
        server.createContext("/", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                bytes.addAndGet(in.readAllBytes().length);
                ex.sendResponseHeaders(204, -1);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println(server.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join(); // until the parent destroys us
    }
}
