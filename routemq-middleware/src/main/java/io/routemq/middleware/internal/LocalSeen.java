package io.routemq.middleware.internal;

import java.util.function.LongSupplier;

/** Remembers keys for a time, at most {@code max} of them (the least recently seen forgotten first). */
public final class LocalSeen {
    private final Lru<String, Long> seen;
    private final long ttlNanos;
    private final LongSupplier clock;

    /** @param max how many keys @param ttlNanos how long @param clock nanoseconds, monotonic */
    public LocalSeen(int max, long ttlNanos, LongSupplier clock) {
        this.seen = new Lru<>(max);
        this.ttlNanos = ttlNanos;
        this.clock = clock;
    }

    /** @return true if the key was seen within the TTL; otherwise remembers it and returns false */
    public synchronized boolean seen(String key) {
        long now = clock.getAsLong();
        Long at = seen.get(key);
        if (at != null && now - at < ttlNanos) return true;
        seen.put(key, now);
        return false;
    }

    /** Forgets a key. */
    public synchronized void forget(String key) {
        seen.remove(key);
    }
}
