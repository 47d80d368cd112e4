package io.routemq.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receipts of a gateway whose sink is {@code discard: {}}: nothing arrives anywhere, so the gateway's own
 * {@code routemq_sink_delivered_total} for the sink, read from its admin {@code /metrics?name[]=...} every
 * {@value #POLL_MILLIS} ms, is the count of messages that went through the route and the durable queue. The end of
 * a phase is placed between the poll that saw the last increase and the one before it, at the rate of the interval
 * before. It cannot see latency, duplicates or order: those read n/a in the report.
 *
 * <p>Polls are slow because each costs the gateway CPU, charged to it: a scrape is about 1.4 ms, and selecting one
 * metric by name saves little (Micrometer collects every meter and filters after): polled every 20 ms the scrapes were
 * 7-10% of the gateway's samples, every 50 ms 6.6%, every {@value #POLL_MILLIS} ms about 1.3%. But the load
 * generator's closed loop (at most {@code --max-outstanding} messages published and not yet received) needs a fresh
 * count: fed the polled count it held the publishers to one window per poll (2,000 per 250 ms: 7.8k msgs/s). So the
 * closed loop gets {@link #flowCount()}: the last polled count carried forward at the rate of the last interval, for
 * at most two intervals. The results use only polled counts.
 */
final class DeliveredCount implements AutoCloseable {
    static final long POLL_MILLIS = 100;

    private static final String PATH = "/metrics?name%5B%5D=routemq_sink_delivered_total";
    private final int port;
    private final Pattern sample;
    private final Thread poller;
    private volatile boolean running = true;
    private volatile long total;        // the counter's value at the last poll
    private volatile long end;          // Payloads.wallNanos() of the estimated last delivery
    private volatile long base;         // the value when the phase began
    private volatile String failure;
    // the poller's own: the two polls before the latest
    private long prevValue = -1;
    private long prevAt;
    private double rate;                // messages per nanosecond over the interval before the latest increase
    // for flowCount: the last poll (System.nanoTime) and the rate of the interval it ended, per nanosecond
    private volatile long polledAt;
    private volatile double flowRate;

    DeliveredCount(int adminPort, String sink) {
        this.port = adminPort;
        this.sample = Pattern.compile("(?m)^routemq_sink_delivered_total\\{[^}]*sink=\"" + Pattern.quote(sink) + "\"[^}]*\\} (\\S+)$");
        this.poller = Thread.ofPlatform().daemon().name("bench-delivered-count").start(this::poll);
    }

    private void poll() {
        while (running) {
            try {
                long v = read();
                long at = Payloads.wallNanos();
                long now = System.nanoTime();
                long last = polledAt;
                flowRate = last == 0 || now <= last ? 0 : Math.max(0, v - total) / (double) (now - last);
                polledAt = now;
                if (v > total) {
                    // the last message arrived after the previous poll and by this one: at the previous rate, when
                    long from = prevAt == 0 ? at : prevAt;
                    long estimate = rate > 0 ? from + (long) ((v - Math.max(prevValue, base)) / rate) : at;
                    end = Math.max(from, Math.min(at, estimate));
                    if (prevValue >= 0 && at > prevAt) rate = (v - prevValue) / (double) (at - prevAt);
                    total = v;
                }
                prevValue = v;
                prevAt = at;
                failure = null;
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * One scrape over a plain socket (the admin server answers one request per connection): the JDK HttpClient's
     * machinery cost the bench process several milliseconds of CPU per poll, CPU the gateway on the same two cores
     * then lacked.
     */
    private long read() throws IOException {
        String body;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + PATH + " on port " + port + " answered " + response.lines().findFirst().orElse("nothing"));
            }
            int at = response.indexOf("\r\n\r\n");
            body = at < 0 ? "" : response.substring(at + 4);
        }
        Matcher m = sample.matcher(body);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0; // absent until the first delivery
    }

    /** Starts a phase: counts from the current value. */
    void begin() throws IOException {
        long v = read();
        total = Math.max(total, v);
        base = v;
        end = 0;
    }

    /** Messages delivered (discarded) since {@link #begin()}. */
    long delivered() {
        return Math.max(0, total - base);
    }

    /**
     * The count for the load generator's closed loop: the polled count carried forward at the last interval's rate,
     * for at most two intervals (so a stalled gateway stalls the publishers, as with every other consumer).
     */
    long flowCount() {
        long since = System.nanoTime() - polledAt;
        long ahead = (long) (flowRate * Math.min(since, 2 * POLL_MILLIS * 1_000_000L));
        return delivered() + ahead;
    }

    /** The phase's receipts: a count and the end; no latency, duplicates or order (-1). */
    Receipts.Summary summary() {
        long n = delivered();
        if (n == 0 && failure != null) throw new IllegalStateException("could not read the gateway's delivered count: " + failure);
        return new Receipts.Summary(n, n, -1, -1, 0, end, new Histogram(3));
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
