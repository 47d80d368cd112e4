package io.routemq.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receipts of a gateway whose sink is {@code discard: {}}: nothing arrives anywhere, so the gateway's own
 * {@code routemq_sink_delivered_total} for the sink, read from its admin {@code /metrics} every {@value #POLL_MILLIS}
 * ms, is the count of messages that went through the route and the durable queue. The end of a phase is the wall
 * clock of the poll that first saw the last increase (at most one poll late, which makes the msgs/s at most one
 * poll's share lower). It cannot see latency, duplicates or order: those read n/a in the report.
 */
final class DeliveredCount implements AutoCloseable {
    static final long POLL_MILLIS = 50;

    private final URI metrics;
    private final Pattern sample;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile long total;        // the counter's value at the last poll
    private volatile long lastChange;   // Payloads.wallNanos() of the poll that saw it rise
    private volatile long base;         // the value when the phase began
    private volatile String failure;

    DeliveredCount(int adminPort, String sink) {
        this.metrics = URI.create("http://127.0.0.1:" + adminPort + "/metrics");
        this.sample = Pattern.compile("(?m)^routemq_sink_delivered_total\\{[^}]*sink=\"" + Pattern.quote(sink) + "\"[^}]*\\} (\\S+)$");
        this.poller = Thread.ofPlatform().daemon().name("bench-delivered-count").start(this::poll);
    }

    private void poll() {
        while (running) {
            try {
                long v = read();
                if (v > total) {
                    total = v;
                    lastChange = Payloads.wallNanos();
                }
                failure = null;
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private long read() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("GET " + metrics + " answered " + r.statusCode());
        Matcher m = sample.matcher(r.body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0; // absent until the first delivery
    }

    /** Starts a phase: counts from the current value. */
    void begin() throws IOException, InterruptedException {
        long v = read();
        total = Math.max(total, v);
        base = v;
        lastChange = 0;
    }

    /** Messages delivered (discarded) since {@link #begin()}. */
    long delivered() {
        return Math.max(0, total - base);
    }

    /** The phase's receipts: a count and the end; no latency, duplicates or order (-1). */
    Receipts.Summary summary() {
        long n = delivered();
        if (n == 0 && failure != null) throw new IllegalStateException("could not read the gateway's delivered count: " + failure);
        return new Receipts.Summary(n, n, -1, -1, 0, lastChange, new Histogram(3));
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        http.close();
    }
}
