package io.routemq.bench.e2e;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fast local HTTP receiver (JDK {@code HttpServer} on a loopback port chosen by the OS, virtual threads) standing in
 * for the destination of the HTTP sink and of the forwarder, in the bench process. It accepts a bench payload as the
 * body, or envelope JSON, one object or an array of them, answers 200, and hands every payload (base64 in an
 * envelope: the bench payload is binary) to the {@link ReceiptSlot}, so latency is measured from the publish to the
 * arrival at the HTTP destination.
 */
final class HttpReceiver implements AutoCloseable {
    private static final byte[] KEY = "\"payload\":\"".getBytes(StandardCharsets.US_ASCII);
    private final HttpServer server;
    private final ExecutorService executor;
    private final LongAdder requests = new LongAdder();
    private final LongAdder envelopes = new LongAdder();

    private HttpReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static HttpReceiver start(ReceiptSlot slot) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        HttpReceiver r = new HttpReceiver(server, executor);
        server.createContext("/ingest", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                r.requests.increment();
                r.envelopes.add(parse(body, slot));
                ex.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        return r;
    }

    /**
     * Records the payloads of one request body and returns how many: a bench payload as the whole body (the
     * {@code raw} body, the forwarder), else every {@code "payload":"<base64>"} of envelope JSON (one or an array).
     */
    static int parse(byte[] body, ReceiptSlot slot) {
        if (Payloads.valid(body)) {
            slot.record(body);
            return 1;
        }
        int n = 0;
        int i = 0;
        while ((i = indexOf(body, KEY, i)) >= 0) {
            int start = i + KEY.length;
            int end = start;
            while (end < body.length && body[end] != '"') end++;
            ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(body, start, end - start));
            byte[] payload = new byte[decoded.remaining()];
            decoded.get(payload);
            slot.record(payload);
            n++;
            i = end;
        }
        return n;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ingest";
    }

    long requests() {
        return requests.sum();
    }

    long envelopes() {
        return envelopes.sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
