package io.routemq.bench.e2e;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr while a phase runs: received out of expected (or elapsed out of the duration), and the
 * current receive rate. On a terminal it redraws one line; otherwise it prints a line every 5 seconds.
 */
final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;

    private Progress(PrintStream out, String label, long expected, long durationNanos, LongSupplier received) {
        this.out = out;
        boolean tty = System.console() != null;
        long start = System.nanoTime();
        this.thread = Thread.ofPlatform().daemon().name("bench-progress").start(() -> {
            long lastCount = 0;
            long lastTime = start;
            long lastPrint = 0;
            while (running) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                long n = received.getAsLong();
                double rate = (n - lastCount) / Math.max(1e-9, (now - lastTime) / 1e9);
                lastCount = n;
                lastTime = now;
                double frac = durationNanos > 0 ? (now - start) / (double) durationNanos : n / (double) Math.max(1, expected);
                frac = Math.min(1, Math.max(0, frac));
                if (tty) {
                    out.print("\r" + line(label, frac, n, expected, rate, now - start) + "   ");
                    out.flush();
                } else if (now - lastPrint > 5_000_000_000L) {
                    lastPrint = now;
                    out.println(line(label, frac, n, expected, rate, now - start));
                }
            }
            if (tty) {
                out.print("\r" + " ".repeat(110) + "\r");
                out.flush();
            }
        });
    }

    private static String line(String label, double frac, long n, long expected, double rate, long elapsed) {
        int width = 30;
        int filled = (int) Math.round(frac * width);
        return String.format(Locale.ROOT, "%-26s [%s%s] %3.0f%% %,d%s msgs  %,.0f msg/s  %.1fs", label, "#".repeat(filled),
                ".".repeat(width - filled), frac * 100, n, expected > 0 ? "/" + String.format(Locale.ROOT, "%,d", expected) : "",
                rate, elapsed / 1e9);
    }

    /** Starts a bar, or a no-op when {@code enabled} is false. */
    static Progress start(boolean enabled, String label, long expected, long durationNanos, LongSupplier received) {
        if (!enabled) return null;
        return new Progress(System.err, label, expected, durationNanos, received);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
