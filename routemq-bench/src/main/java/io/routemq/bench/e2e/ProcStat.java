package io.routemq.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/<pid>/stat}: user plus system time of all its threads (fields 14 and 15,
 * in clock ticks of {@code getconf CLK_TCK}, usually 10 ms). Linux only; elsewhere every reading is -1.
 */
final class ProcStat {
    private static final long TICK_NANOS = 1_000_000_000L / clockTicks();

    private ProcStat() {
    }

    /** CPU nanoseconds the process has used so far, or -1 when unknown (no such process, not Linux, pid -1). */
    static long cpuNanos(long pid) {
        if (pid <= 0) return -1;
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return parse(s) * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime in ticks from a stat line (the command name, field 2, may hold spaces and parentheses). */
    static long parse(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            p.waitFor();
            long v = Long.parseLong(out);
            return v > 0 ? v : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
