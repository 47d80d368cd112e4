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
 * The receipts of the {@code queue} scenario, whose gateway drains its durable queue into a {@code discard: {}} sink:
 * nothing arrives anywhere, so the progress of the sink's queue in the gateway's {@code /health}, read every
 * {@value #POLL_MILLIS} ms, is the receipt.
 * <ul>
 *   <li>A message is <b>received</b> when the gateway has durably enqueued it ({@code nextOffset} counts it), which
 *       is when it acknowledges it: the scenario measures the gateway into its durable queue, as the raw client's
 *       receipt is its callback. Throughput and the closed loop count these.</li>
 *   <li>At the end of a phase the discard sink must have taken every one ({@code committedOffset}): a message
 *       enqueued and never delivered counts as lost.</li>
 * </ul>
 * The end of a phase is placed between the poll that saw the last increase and the one before it, at the rate of the
 * interval before. It cannot see latency, duplicates or order: those read n/a in the report.
 *
 * <p>The load generator's closed loop (at most {@code --max-outstanding} messages published and not yet received)
 * needs a fresh count. Polled every 250 ms, the count held the publishers to one window per poll (2,000 per 250 ms:
 * 7.8k msgs/s); polled every 100 ms from {@code /metrics} and carried forward at the last interval's rate, it still
 * left the gateway half idle (0.49-0.53 cores, 0.65-0.72x raw, where the same gateway counted at an HTTP receiver
 * ran at 0.90-1.02x). So the count is polled every {@value #POLL_MILLIS} ms, and that is not free: each request costs
 * the gateway's admin server about 1 ms of CPU (400 {@code /health} requests: 41-65 ticks of 10 ms; a Prometheus
 * scrape 1.3-1.4 ms whatever {@code name[]} selects, as Micrometer collects every meter first), about 5% of a core,
 * charged to the gateway's CPU per message. Polls go over a plain socket: the JDK HttpClient cost the bench process
 * 17% of its samples. Between polls the closed loop gets the last count carried forward at the last interval's
 * rate, for at most two intervals. The results use only polled counts.
 */
final class GatewayCounts implements AutoCloseable {
    static final long POLL_MILLIS = 20;
    private static final String PATH = "/health";

    private final int port;
    private final Pattern nextOffset;
    private final Pattern committedOffset;
    private final Thread poller;
    private volatile boolean running = true;
    // at the last poll: messages enqueued (the queue's next offset) and taken (one past its committed offset)
    private volatile long enqueued;
    private volatile long taken;
    private volatile long enqueuedBase;  // the values when the phase began
    private volatile long takenBase;
    private volatile long end;           // Payloads.wallNanos() of the estimated last enqueue
    private volatile String failure;
    // the last poll (Payloads.wallNanos()) and the rate of the interval it ended, messages per nanosecond
    private volatile long polledAt;
    private volatile double flowRate;
    private double risingRate;           // the poller's own: the rate of the interval before the latest increase

    GatewayCounts(int adminPort, String queue) {
        this.port = adminPort;
        String at = "\"" + Pattern.quote(queue) + "\":\\{[^}]*?\"";
        this.nextOffset = Pattern.compile(at + "nextOffset\":(-?\\d+)");
        this.committedOffset = Pattern.compile(at + "committedOffset\":(-?\\d+)");
        this.poller = Thread.ofPlatform().daemon().name("bench-gateway-counts").start(this::poll);
    }

    private void poll() {
        while (running) {
            try {
                long[] v = read();
                long at = Payloads.wallNanos();
                long last = polledAt;
                double rate = last == 0 || at <= last ? 0 : Math.max(0, v[0] - enqueued) / (double) (at - last);
                if (v[0] > enqueued) {
                    // the last message came after the previous poll and by this one: at the rate of the interval before
                    long from = last == 0 ? at : last;
                    long estimate = risingRate > 0 ? from + (long) ((v[0] - Math.max(enqueued, enqueuedBase)) / risingRate) : at;
                    end = Math.max(from, Math.min(at, estimate));
                    if (last != 0) risingRate = rate;
                    enqueued = v[0];
                }
                taken = v[1];
                flowRate = rate;
                polledAt = at;
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
     * One {@code /health} over a plain socket (the admin server answers one request per connection): the queue's next
     * offset and one past its committed offset (both 0 for a new queue). 503 (not healthy) still has them.
     */
    private long[] read() throws IOException {
        String body;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200") && !response.startsWith("HTTP/1.1 503")) {
                throw new IOException("GET " + PATH + " on port " + port + " answered " + response.lines().findFirst().orElse("nothing"));
            }
            int at = response.indexOf("\r\n\r\n");
            body = at < 0 ? "" : response.substring(at + 4);
        }
        return new long[] {value(nextOffset, body), value(committedOffset, body) + 1};
    }

    private long value(Pattern p, String body) throws IOException {
        Matcher m = p.matcher(body);
        if (!m.find()) throw new IOException("GET " + PATH + " on port " + port + ": no " + p + " in " + body);
        return Long.parseLong(m.group(1));
    }

    /** Starts a phase: counts from the current values. */
    void begin() throws IOException {
        long[] v = read();
        enqueued = Math.max(enqueued, v[0]);
        enqueuedBase = v[0];
        takenBase = v[1];
        end = 0;
    }

    /** Messages durably enqueued (and acknowledged) since {@link #begin()}. */
    long received() {
        return Math.max(0, enqueued - enqueuedBase);
    }

    /** Messages the discard sink took since {@link #begin()}. */
    long delivered() {
        return Math.max(0, taken - takenBase);
    }

    /**
     * The count for the load generator's closed loop: the polled count carried forward at the last interval's rate,
     * for at most two intervals (so a stalled gateway stalls the publishers, as with every other consumer).
     */
    long flowCount() {
        long since = Payloads.wallNanos() - polledAt;
        long ahead = (long) (flowRate * Math.min(since, 2 * POLL_MILLIS * 1_000_000L));
        return received() + ahead;
    }

    /**
     * The phase's receipts, once the sink has taken every enqueued message (waiting up to {@code waitMillis} for it):
     * the count of messages both enqueued and delivered (a message enqueued and never delivered is lost), and the end;
     * no latency, duplicates or order (-1).
     */
    Receipts.Summary summary(long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (delivered() < received() && System.nanoTime() < deadline) Thread.sleep(POLL_MILLIS);
        long n = Math.min(received(), delivered());
        if (n == 0 && failure != null) throw new IllegalStateException("could not read the gateway's counts: " + failure);
        return new Receipts.Summary(n, n, -1, -1, 0, end, new Histogram(3));
    }

    /** For the report's notes: the phase's enqueued and delivered counts. */
    String describe() {
        return received() + " enqueued, " + delivered() + " taken by the discard sink";
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
