package io.routemq.bench.e2e;

import com.sun.net.httpserver.HttpServer;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client-side CPU cost of one HTTP request, per HTTP client library: one POST of a small JSON body (about 100
 * bytes) to a local keep-alive HTTP/1.1 server, the shape of the HTTP sink's per-message delivery. It is not a JMH
 * benchmark because JMH measures time, and the figure wanted here is CPU: each client runs in a child JVM of its own
 * (the server in another), and the client JVM's process CPU (user + system, every thread: the library's selector,
 * pool and I/O threads included, GC and JIT too) over the measured requests is divided by their number.
 *
 * <p>Clients ({@code --clients}, each with {@code --concurrency} requests in flight, 64 like the sink's default
 * {@code maxInFlight}):
 * <ul>
 *   <li>{@code jdk-http1}: {@code java.net.http.HttpClient}, HTTP/1.1, a blocking {@code send} per virtual thread,
 *       as the HTTP sink's {@code Deliverer} uses it;</li>
 *   <li>{@code jdk-default}: the same with the client's default version (HTTP/2: an h2c upgrade offer on plain http);</li>
 *   <li>{@code jdk-async}: HTTP/1.1 {@code sendAsync} with a semaphore, as the bench's forwarder uses it;</li>
 *   <li>{@code apache5}: Apache HttpClient 5 classic, pooled, blocking, on virtual threads (no cookies, no
 *       compression, no retries, no redirects);</li>
 *   <li>{@code okhttp}: OkHttp 5 {@code execute()} on virtual threads;</li>
 *   <li>{@code jetty}: Jetty 12.1 client, blocking {@code send()} on virtual threads.</li>
 * </ul>
 * Rounds alternate the clients (round 1: every client, round 2: every client, ...); each round's table gives each
 * client's ratio to {@code jdk-http1} of the same round. Run:
 * <pre>
 * java -cp "routemq-bench/target/classes:$(cat routemq-bench/target/e2e-classpath.txt)" io.routemq.bench.e2e.HttpClientCost \
 *     --rounds 2 --requests 60k --warmup 30k
 * </pre>
 */
public final class HttpClientCost {
    private static final String PREFIX = "@bench ";
    private static final String USER_AGENT = "RouteMQ-HttpSink";
    /** Every client, in the order they run in each round. */
    static final List<String> CLIENTS = List.of("jdk-http1", "jdk-default", "jdk-async", "apache5", "okhttp", "jetty");

    @Option(names = "--clients", split = ",", description = "clients to measure (default: all): jdk-http1, jdk-default, jdk-async, apache5, okhttp, jetty")
    List<String> clients = CLIENTS;
    @Option(names = "--rounds", defaultValue = "2")
    int rounds;
    @Option(names = "--requests", defaultValue = "60k", description = "measured requests per client and round (k and m allowed)")
    String requests;
    @Option(names = "--warmup", defaultValue = "30k", description = "requests before the measured ones, in the same client JVM")
    String warmup;
    @Option(names = "--concurrency", defaultValue = "64", description = "requests in flight")
    int concurrency;
    @Option(names = "--body-bytes", defaultValue = "100", description = "JSON body size")
    int bodyBytes;
    @Option(names = "--client-jvm-opts", defaultValue = "-Xms256m -Xmx256m -XX:+UseG1GC", description = "JVM options of each client JVM")
    String clientJvmOpts;
    @Option(names = "--logs", defaultValue = "${java.io.tmpdir}/routemq-http-client-cost", description = "folder for the child JVMs' output")
    Path logs;

    // child modes
    @Option(names = "--serve", hidden = true)
    boolean serve;
    @Option(names = "--client", hidden = true)
    String client;
    @Option(names = "--url", hidden = true)
    String url;

    private HttpClientCost() {
    }

    /** Runs the comparison (or, with the hidden options, the server or one client). */
    public static void main(String[] args) throws Exception {
        HttpClientCost m = new HttpClientCost();
        new CommandLine(m).parseArgs(args);
        if (m.serve) m.serve();
        else if (m.client != null) m.client();
        else m.compare();
        System.exit(0);
    }

    /** One measured run: the client's CPU and the server's over the same requests. */
    record Run(int round, String client, long requests, long errors, long elapsedNanos, long clientCpuNanos, long serverCpuNanos) {
        double clientMicros() {
            return clientCpuNanos / 1000.0 / requests;
        }

        double serverMicros() {
            return serverCpuNanos / 1000.0 / requests;
        }

        double perSecond() {
            return requests * 1e9 / elapsedNanos;
        }
    }

    private void compare() throws Exception {
        for (String c : clients) {
            if (!CLIENTS.contains(c)) throw new IllegalArgumentException("--clients: unknown client '" + c + "'; use " + String.join(", ", CLIENTS));
        }
        List<String> jvm = Arrays.asList(clientJvmOpts.trim().split("\\s+"));
        List<Run> runs = new ArrayList<>();
        try (ChildJvm server = ChildJvm.start("server", ChildJvm.command(jvm, HttpClientCost.class.getName(), List.of("--serve")),
                logs.resolve("server.log"), true)) {
            String target = "http://127.0.0.1:" + server.await("port", Duration.ofMinutes(1)) + "/ingest";
            for (int r = 1; r <= rounds; r++) {
                for (String c : clients) {
                    List<String> args = List.of("--client", c, "--url", target, "--requests", requests, "--warmup", warmup,
                            "--concurrency", Integer.toString(concurrency), "--body-bytes", Integer.toString(bodyBytes));
                    try (ChildJvm child = ChildJvm.start(c, ChildJvm.command(jvm, HttpClientCost.class.getName(), args),
                            logs.resolve(c + "-r" + r + ".log"), true)) {
                        child.await("measuring", Duration.ofMinutes(10));
                        long server0 = ProcStat.cpuNanos(server.pid());
                        String[] f = child.await("result", Duration.ofMinutes(10)).split(" ");
                        long server1 = ProcStat.cpuNanos(server.pid());
                        Run run = new Run(r, c, Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), server1 - server0);
                        runs.add(run);
                        System.out.printf(Locale.ROOT, "round %d %-12s %8.1f µs CPU/request (server %.1f), %,.0f requests/s, %d errors%n",
                                r, c, run.clientMicros(), run.serverMicros(), run.perSecond(), run.errors());
                    }
                }
            }
        }
        System.out.println();
        System.out.println(table(runs));
    }

    /** The markdown table: every run, with its ratio to {@code jdk-http1} of the same round. */
    static String table(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("| round | client | client CPU µs/request | vs jdk-http1 | server CPU µs/request | requests/s | errors |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|\n");
        Map<Integer, Double> base = new LinkedHashMap<>();
        for (Run r : runs) if (r.client().equals("jdk-http1")) base.put(r.round(), r.clientMicros());
        for (Run r : runs) {
            Double b = base.get(r.round());
            sb.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %s | %.1f | %,.0f | %d |%n", r.round(), r.client(), r.clientMicros(),
                    b == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", r.clientMicros() / b), r.serverMicros(), r.perSecond(), r.errors()));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- the server (a child JVM)

    private void serve() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/ingest", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        System.out.println(PREFIX + "port " + server.getAddress().getPort());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("stop")) {
                // wait for stop or the end of input
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- one client (a child JVM)

    /** A blocking POST; returns the status code. */
    private interface Poster extends AutoCloseable {
        int post(byte[] body) throws Exception;
    }

    private void client() throws Exception {
        byte[] body = body(bodyBytes);
        long n = BenchMain.count("--requests", requests);
        long w = BenchMain.count("--warmup", warmup);
        URI uri = URI.create(url);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        if (client.equals("jdk-async")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            try (http) {
                async(http, uri, body, w, new LongAdder());
                System.out.println(PREFIX + "measuring");
                LongAdder errors = new LongAdder();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                async(http, uri, body, n, errors);
                report(n, errors.sum(), System.nanoTime() - t0, os.getProcessCpuTime() - cpu0);
            }
            return;
        }
        try (Poster p = poster(client, uri)) {
            blocking(p, body, w, new LongAdder());
            System.out.println(PREFIX + "measuring");
            LongAdder errors = new LongAdder();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            blocking(p, body, n, errors);
            report(n, errors.sum(), System.nanoTime() - t0, os.getProcessCpuTime() - cpu0);
        }
    }

    private static void report(long n, long errors, long elapsed, long cpu) {
        System.out.println(PREFIX + "result " + n + " " + errors + " " + elapsed + " " + cpu);
    }

    /** {@code concurrency} virtual threads post until {@code n} requests are done. */
    private void blocking(Poster p, byte[] body, long n, LongAdder errors) throws InterruptedException {
        AtomicLong left = new AtomicLong(n);
        List<Thread> threads = new ArrayList<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofVirtual().name("post-" + i).start(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        if (p.post(body) / 100 != 2) errors.increment();
                    } catch (Exception e) {
                        errors.increment();
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
    }

    /** The forwarder's shape: {@code sendAsync}, at most {@code concurrency} in flight. */
    private void async(HttpClient http, URI uri, byte[] body, long n, LongAdder errors) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong left = new AtomicLong(n);
        for (long i = 0; i < n; i++) {
            inFlight.acquire();
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, error) -> {
                if (error != null || resp.statusCode() / 100 != 2) errors.increment();
                inFlight.release();
                if (left.decrementAndGet() == 0) done.countDown();
            });
        }
        done.await();
    }

    private Poster poster(String name, URI uri) throws Exception {
        return switch (name) {
            case "jdk-http1" -> jdk(uri, HttpClient.Version.HTTP_1_1);
            case "jdk-default" -> jdk(uri, HttpClient.newHttpClient().version());
            case "apache5" -> apache(uri);
            case "okhttp" -> okhttp(uri);
            case "jetty" -> jetty(uri);
            default -> throw new IllegalArgumentException("unknown client '" + name + "'");
        };
    }

    /** As the sink's {@code Deliverer} builds and sends a request. */
    private static Poster jdk(URI uri, HttpClient.Version version) {
        HttpClient http = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new Poster() {
            @Override
            public int post(byte[] body) throws Exception {
                HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .method("POST", HttpRequest.BodyPublishers.ofByteArray(body));
                rb.header("User-Agent", USER_AGENT);
                rb.header("Content-Type", "application/json");
                return http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    private Poster apache(URI uri) {
        CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(concurrency).setMaxConnPerRoute(concurrency)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(30)).build())
                .setUserAgent(USER_AGENT)
                .disableCookieManagement().disableContentCompression().disableAutomaticRetries().disableRedirectHandling()
                .build();
        return new Poster() {
            @Override
            public int post(byte[] body) throws Exception {
                HttpPost p = new HttpPost(uri);
                p.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
                return http.execute(p, resp -> {
                    EntityUtils.consume(resp.getEntity());
                    return resp.getCode();
                });
            }

            @Override
            public void close() throws Exception {
                http.close();
            }
        };
    }

    private Poster okhttp(URI uri) {
        OkHttpClient http = new OkHttpClient.Builder().connectionPool(new ConnectionPool(concurrency, 5, TimeUnit.MINUTES))
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(30))
                .followRedirects(false).retryOnConnectionFailure(false).build();
        MediaType json = MediaType.get("application/json");
        String target = uri.toString();
        return new Poster() {
            @Override
            public int post(byte[] body) throws Exception {
                Request req = new Request.Builder().url(target).header("User-Agent", USER_AGENT).post(RequestBody.create(body, json)).build();
                try (Response resp = http.newCall(req).execute()) {
                    resp.body().bytes();
                    return resp.code();
                }
            }

            @Override
            public void close() {
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
        };
    }

    private Poster jetty(URI uri) throws Exception {
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        http.setMaxConnectionsPerDestination(concurrency);
        http.setConnectTimeout(5000);
        http.setFollowRedirects(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        http.start();
        return new Poster() {
            @Override
            public int post(byte[] body) throws Exception {
                ContentResponse resp = http.POST(uri).body(new BytesRequestContent("application/json", body))
                        .timeout(30, TimeUnit.SECONDS).send();
                return resp.getStatus();
            }

            @Override
            public void close() throws Exception {
                http.stop();
            }
        };
    }

    /** A JSON object of about {@code size} bytes, like a telemetry reading. */
    static byte[] body(int size) {
        StringBuilder sb = new StringBuilder("{\"device\":\"d-17\",\"temp\":21.5,\"unit\":\"C\",\"pad\":\"");
        while (sb.length() < size - 2) sb.append('x');
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
