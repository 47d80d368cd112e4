package io.routemq.broker.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs, every 5 s, how many messages the broker dropped since the last report (a client queue at its limit, or a
 * slow client at the QoS 0 memory limit), so that drops are never silent; and once more when it is closed.
 */
public final class DropMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("io.routemq.broker.EmbeddedBroker");

    private final LongSupplier dropped;
    private final long maxPerClient;
    private final Object overflow;
    private final ScheduledExecutorService executor;
    private long reported;

    /**
     * Starts the monitor.
     *
     * @param dropped      the broker's count of dropped messages so far
     * @param maxPerClient the configured per-client queue limit, for the message
     * @param overflow     the configured overflow strategy, for the message
     */
    public DropMonitor(LongSupplier dropped, long maxPerClient, Object overflow) {
        this.dropped = dropped;
        this.maxPerClient = maxPerClient;
        this.overflow = overflow;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routemq-broker-drop-monitor");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::report, 5, 5, TimeUnit.SECONDS);
    }

    private synchronized void report() {
        try {
            long total = dropped.getAsLong();
            long delta = total - reported;
            if (delta > 0) {
                reported = total;
                log.warn("The broker dropped {} messages in the last 5 s ({} in total): a client queue reached"
                        + " broker.queue.maxPerClient={} (broker.queue.overflow={}), or a slow client hit the QoS 0 memory"
                        + " limit. Set logger event.message-dropped to DEBUG to see each one.",
                        delta, total, maxPerClient, overflow);
            }
        } catch (RuntimeException e) {
            log.debug("drop monitor failed", e);
        }
    }

    /** Stops the monitor after a last report. */
    @Override
    public void close() {
        executor.shutdownNow();
        report();
    }
}
