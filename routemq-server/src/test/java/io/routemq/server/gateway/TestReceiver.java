package io.routemq.server.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP receiver on 127.0.0.1 (JDK HttpServer, one virtual thread per exchange) for the gateway's end-to-end
 * tests: it answers with the status its {@link Responder} chooses, keeps every body it accepted (2xx), and counts
 * the sequence numbers found in them (unique and duplicates). It can be stopped and started again on the same port to
 * simulate an outage.
 */
final class TestReceiver implements AutoCloseable {

    /** Chooses the status of one request; may block (a slow receiver). */
    @FunctionalInterface
    interface Responder {
        int status(long requestNumber, String path, byte[] body) throws Exception;
    }

    /** One accepted request. */
    record Request(String path, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The default sequence extractor: the first {@code "seq":N} in the body (raw JSON payloads and envelopes). */
    static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    private final String name;
    private volatile int port;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile HttpServer server;
    private volatile Responder responder = (n, path, body) -> 200;
    private volatile Function<byte[], Long> seqOf = TestReceiver::jsonSeq;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final ConcurrentLinkedQueue<Request> accepted = new ConcurrentLinkedQueue<>();
    private final Map<Long, AtomicInteger> seqCounts = new ConcurrentHashMap<>();

    private TestReceiver(String name) {
        this.name = name;
    }

    /** Starts a receiver on a free port. */
    static TestReceiver start(String name) throws IOException {
        TestReceiver r = new TestReceiver(name);
        r.up();
        return r;
    }

    /** Starts listening: on a free port the first time, then again on the same port; retries while it is not free yet. */
    synchronized void up() throws IOException {
        if (server != null) return;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
                s.createContext("/", this::handle);
                s.setExecutor(executor);
                s.start();
                port = s.getAddress().getPort();
                server = s;
                return;
            } catch (BindException e) {
                if (System.nanoTime() > deadline) throw e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while rebinding port " + port, ie);
                }
            }
        }
    }

    /** Stops listening: the port is closed and open connections are dropped (an outage). */
    synchronized void down() {
        HttpServer s = server;
        server = null;
        if (s != null) s.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            long n = requests.incrementAndGet();
            int status;
            try {
                status = responder.status(n, ex.getRequestURI().getPath(), body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 503;
            } catch (Exception e) {
                status = 500;
            }
            if (status >= 200 && status < 300) {
                accepted.add(new Request(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Content-Type"), body));
                Long seq = seqOf.apply(body);
                if (seq != null) seqCounts.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet();
            } else {
                refused.incrementAndGet();
            }
            ex.sendResponseHeaders(status, -1);
        }
    }

    static Long jsonSeq(byte[] body) {
        Matcher m = SEQ.matcher(new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8));
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    void responder(Responder r) {
        this.responder = r;
    }

    void seqOf(Function<byte[], Long> f) {
        this.seqOf = f;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    /** Requests received, whatever the answer. */
    long requests() {
        return requests.get();
    }

    /** Requests answered with a status other than 2xx. */
    long refused() {
        return refused.get();
    }

    /** Requests answered 2xx. */
    long acceptedCount() {
        return accepted.size();
    }

    List<Request> accepted() {
        return new ArrayList<>(accepted);
    }

    /** Distinct sequence numbers accepted. */
    int unique() {
        return seqCounts.size();
    }

    /** Accepted deliveries of a sequence number beyond its first. */
    long duplicates() {
        long d = 0;
        for (AtomicInteger c : seqCounts.values()) d += c.get() - 1;
        return d;
    }

    boolean has(long seq) {
        return seqCounts.containsKey(seq);
    }

    /** Sequence numbers in [0, count) never accepted. */
    List<Long> missing(long count) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < count; i++) if (!seqCounts.containsKey(i)) out.add(i);
        return out;
    }

    @Override
    public void close() {
        down();
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return name + "@" + port + " requests=" + requests() + " accepted=" + acceptedCount() + " unique=" + unique()
                + " duplicates=" + duplicates();
    }
}
