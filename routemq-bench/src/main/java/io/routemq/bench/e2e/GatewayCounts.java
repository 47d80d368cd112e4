package io.routemq.bench.e2e;

import io.routemq.queue.QueueTail;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receipts of the {@code queue} scenario, whose gateway drains its durable queue into a {@code discard: {}} sink:
 * nothing arrives anywhere, so the queue itself is the receipt.
 * <ul>
 *   <li>A message is <b>received</b> when the gateway has durably enqueued it, which is when it acknowledges it: the
 *       scenario measures the gateway into its durable queue, as the raw client's receipt is its callback. The bench
 *       follows the queue's newest segment file ({@link QueueTail}, read every {@value #TAIL_MILLIS} ms on the bench's
 *       own thread): a record counts once its frame is complete on disk, which with {@code fsync: interval} is when
 *       the queue completes the append and the gateway acknowledges the message. Throughput, the phase's end and the
 *       closed loop use this count; it costs the gateway nothing.</li>
 *   <li>At the end of a phase the gateway's own {@code /health} must agree: its queue's {@code nextOffset} counts
 *       the same messages, and the discard sink must have taken every one ({@code committedOffset}). A message
 *       enqueued and never delivered counts as lost.</li>
 * </ul>
 * It cannot see latency, duplicates or order: those read n/a in the report.
 *
 * <p>Why the files: the load generator's closed loop (at most {@code --max-outstanding} messages published and not
 * yet received) needs a fresh count. Polling {@code /health} every 20 ms, even with the count carried forward at the
 * last interval's rate, left the gateway half idle (0.54-0.62 cores, 0.71-0.78x raw, where the same gateway counted
 * at an HTTP receiver made 0.90-1.02x), and each request cost the gateway's admin server 0.2-1 ms of CPU, charged to
 * its CPU per message. {@code /health} is now read twice a phase.
 */
final class GatewayCounts implements AutoCloseable {
    static final long TAIL_MILLIS = 1;
    private static final String PATH = "/health";

    private final int port;
    private final String queue;
    private final Pattern nextOffset;
    private final Pattern committedOffset;
    private final QueueTail tail;
    private final Thread follower;
    private volatile boolean running = true;
    private volatile long written;       // the tail's count: one past the last record complete in the queue's file
    private volatile long writtenAt;     // Payloads.wallNanos() when the tail first saw that count
    private volatile String failure;
    // at the start of the phase (from /health), and at its end
    private long enqueuedBase;
    private long takenBase;
    private long enqueuedByHealth = -1;
    private long takenByHealth = -1;

    /**
     * @param adminPort the gateway's admin port
     * @param queueDir  the gateway's {@code queue.dir}
     * @param queue     the sink whose queue to count
     */
    GatewayCounts(int adminPort, Path queueDir, String queue) {
        this.port = adminPort;
        this.queue = queue;
        String at = "\"" + Pattern.quote(queue) + "\":\\{[^}]*?\"";
        this.nextOffset = Pattern.compile(at + "nextOffset\":(-?\\d+)");
        this.committedOffset = Pattern.compile(at + "committedOffset\":(-?\\d+)");
        this.tail = QueueTail.open(queueDir, queue);
        this.follower = Thread.ofPlatform().daemon().name("bench-queue-tail").start(this::follow);
    }

    private void follow() {
        while (running) {
            try {
                long n = tail.nextOffset();
                if (n > written) {
                    writtenAt = Payloads.wallNanos();
                    written = n;
                }
                failure = null;
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
            }
            try {
                Thread.sleep(TAIL_MILLIS);
            } catch (InterruptedException e) {
                break;
            }
        }
        tail.close();
    }

    /**
     * One {@code /health} over a plain socket (the admin server answers one request per connection): the queue's next
     * offset and one past its committed offset (both 0 for a new queue). 503 (not healthy) still has them.
     */
    private long[] health() throws IOException {
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

    /**
     * Starts a phase: counts from the gateway's current values, once the tail has caught up with them (the queue is
     * idle between phases).
     */
    void begin() throws IOException, InterruptedException {
        long[] v = health();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (written < v[0] && System.nanoTime() < deadline) Thread.sleep(TAIL_MILLIS);
        if (written < v[0]) {
            throw new IOException("the queue '" + queue + "' has " + v[0] + " records by " + PATH + " but its files show "
                    + written + (failure == null ? "" : " (" + failure + ")"));
        }
        enqueuedBase = v[0];
        takenBase = v[1];
        enqueuedByHealth = -1;
        takenByHealth = -1;
    }

    /**
     * Messages durably enqueued (and acknowledged) since {@link #begin()}, as the queue's files show them: at most
     * {@value #TAIL_MILLIS} ms old, so it is also the closed loop's count.
     */
    long received() {
        return Math.max(0, written - enqueuedBase);
    }

    /**
     * The phase's receipts, once the gateway's {@code /health} shows every enqueued message taken by the sink (waiting
     * up to {@code waitMillis} for it): the messages both enqueued and delivered (a message enqueued and never
     * delivered is lost), and the end (when the tail saw the last one); no latency, duplicates or order (-1).
     */
    Receipts.Summary summary(long waitMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        long[] v;
        while (true) {
            v = health();
            if (v[1] >= v[0] || System.nanoTime() >= deadline) break;
            Thread.sleep(20);
        }
        enqueuedByHealth = v[0] - enqueuedBase;
        takenByHealth = v[1] - takenBase;
        long n = Math.min(received(), Math.min(enqueuedByHealth, takenByHealth));
        if (n == 0 && failure != null) throw new IllegalStateException("could not follow the queue's files: " + failure);
        return new Receipts.Summary(n, n, -1, -1, 0, writtenAt, new Histogram(3));
    }

    /** For the report's notes: the phase's counts from the files and from {@code /health}. */
    String describe() {
        return received() + " enqueued by the queue's files, " + enqueuedByHealth + " by /health, " + takenByHealth
                + " taken by the discard sink";
    }

    @Override
    public void close() {
        running = false;
        follower.interrupt();
    }
}
