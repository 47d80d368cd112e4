package io.routemq.broker.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs at WARN at most {@code perSecond} lines a second and then one line saying how many were suppressed,
 * so a misbehaving client cannot flood the log.
 */
final class RateLimitedLog {
    private final Logger log;
    private final int perSecond;
    private final AtomicLong window = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, int perSecond) {
        this.log = log;
        this.perSecond = perSecond;
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime() / 1_000_000_000L;
        long w = window.get();
        if (w != now && window.compareAndSet(w, now)) {
            count.set(0);
            long s = suppressed.getAndSet(0);
            if (s > 0) {
                log.warn("{} similar messages suppressed in the last second", s);
            }
        }
        if (count.incrementAndGet() <= perSecond) {
            log.warn(format, args);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
