package io.routemq.sink.http.internal;

import java.time.Duration;

/** Formats durations the way our config writes them: {@code 250ms}, {@code 3s}, {@code 1.5s}, {@code 2m}. */
public final class Durations {

    private Durations() {
    }

    /** The short text form of a duration. */
    public static String text(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms % 60_000 == 0) return (ms / 60_000) + "m";
        if (ms % 1000 == 0) return (ms / 1000) + "s";
        return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
