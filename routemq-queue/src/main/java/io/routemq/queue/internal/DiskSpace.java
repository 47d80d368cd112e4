package io.routemq.queue.internal;

import io.routemq.queue.QueueNoSpaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The "no space left" state of one log: entered when a write fails for lack of space, left by the first write that
 * succeeds while the file system has at least {@link #RESUME_BYTES} free (a write that only just fits into the last
 * free bytes is accepted but does not end the state, so a nearly full disk does not flap in and out). While in it, batches are refused at once without touching the disk, except for a probe (a real write)
 * at most every {@link #PROBE_INTERVAL} or as soon as the file system reports enough usable space. Logs one ERROR
 * when entering, at most one WARN per {@link #LOG_INTERVAL} while it lasts, and one INFO when appends resume.
 * Writer thread for the transitions; {@link #describe()} from any thread.
 */
final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(30);
    /** Room kept beyond a batch before a probe is tried early: a new segment's header and a page. */
    private static final long SLACK = 64 * 1024;
    /** Free space needed to leave the state. */
    static final long RESUME_BYTES = 1L << 20;

    private final String label;
    private final Path dir;
    private volatile long sinceMillis = -1;
    private volatile String cause;
    private volatile long refused;
    private long lastProbeNanos;
    private long lastLogNanos;
    private long refusedAtLastLog;

    DiskSpace(String label, Path dir) {
        this.label = label;
        this.dir = dir;
    }

    /** @return whether the throwable (or a cause) says the file system is full or the quota is used up */
    static boolean isNoSpace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException && c.getMessage() != null) {
                String m = c.getMessage();
                if (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                        || m.contains("There is not enough space on the disk")) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean refusing() {
        return sinceMillis >= 0;
    }

    /** @return whether a batch of {@code bytes} should be tried on the disk now (always, unless refusing) */
    boolean tryWrite(long bytes) {
        if (!refusing()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - lastProbeNanos >= PROBE_INTERVAL.toNanos() || usableSpace() >= bytes + SLACK) {
            lastProbeNanos = now;
            return true;
        }
        return false;
    }

    /** Lets the next batch probe the disk at once (space was freed by this log). */
    void spaceFreed() {
        lastProbeNanos = System.nanoTime() - PROBE_INTERVAL.toNanos();
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A write failed for lack of space. */
    void failed(Throwable t) {
        long now = System.nanoTime();
        lastProbeNanos = now;
        if (!refusing()) {
            cause = String.valueOf(t.getMessage());
            sinceMillis = System.currentTimeMillis();
            lastLogNanos = now;
            refusedAtLastLog = refused;
            LOG.error("{}: no space left in {} ({}); appends are refused (the records are NOT enqueued, so MQTT"
                    + " messages stay unacknowledged at the broker) until space is back. Delivered segments are"
                    + " still deleted, and appends resume by themselves without a restart. Free disk space or move"
                    + " the queue to a bigger volume", label, dir, cause);
        }
    }

    /** {@code n} records were refused without a write, or by a failed probe. */
    void refused(int n) {
        refused += n;
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_INTERVAL.toNanos()) {
            LOG.warn("{}: still no space left in {}: {} record(s) refused in the last {}, {} since {}s ago", label,
                    dir, refused - refusedAtLastLog, format(Duration.ofNanos(now - lastLogNanos)), refused,
                    (System.currentTimeMillis() - sinceMillis) / 1000);
            lastLogNanos = now;
            refusedAtLastLog = refused;
        }
    }

    /** A write succeeded: leaves the state if the disk has room again. */
    void succeeded() {
        if (refusing() && usableSpace() >= RESUME_BYTES) {
            LOG.info("{}: space is back in {}; appends resumed after {} ({} record(s) were refused meanwhile)", label,
                    dir, format(Duration.ofMillis(System.currentTimeMillis() - sinceMillis)), refused);
            sinceMillis = -1;
            refused = 0;
            cause = null;
        }
    }

    /** @return the typed error for a refused record */
    QueueNoSpaceException error(Throwable t) {
        return new QueueNoSpaceException(label + ": no space left in " + dir + " (" + cause + ", since "
                + format(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - sinceMillis)))
                + " ago); the record was NOT enqueued - free disk space or move the queue to a bigger volume;"
                + " appends resume by themselves once space is back", t);
    }

    /** @return why appends are refused, or null when they are not */
    String describe() {
        long since = sinceMillis;
        if (since < 0) {
            return null;
        }
        return "no space left in " + dir + " (" + cause + ") for " + format(Duration.ofMillis(
                Math.max(0, System.currentTimeMillis() - since))) + "; " + refused + " record(s) refused";
    }

    /** A duration as configs write it: {@code 500ms}, {@code 42s}, {@code 5m}. */
    private static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = TimeUnit.MILLISECONDS.toSeconds(ms);
        return s < 120 ? s + "s" : s / 60 + "m";
    }
}
