package io.routemq.bench.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

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

    /**
     * CPU nanoseconds so far of each JIT compiler thread of a process (HotSpot's {@code C1 CompilerThreadN} and
     * {@code C2 CompilerThreadN}, named {@code C1 CompilerThre}/{@code C2 CompilerThre} in {@code /proc/<pid>/task/<tid>/stat},
     * which keeps 15 characters), by thread id; empty when unknown.
     */
    static Map<Long, Long> jitThreads(long pid) {
        Map<Long, Long> out = new HashMap<>();
        if (pid <= 0) return out;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String s = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        out.put(Long.parseLong(t.getFileName().toString()), parse(s) * TICK_NANOS);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while listed
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /**
     * The JIT compiler threads' CPU between two {@link #jitThreads} readings: each thread alive at the end counts its
     * time since the first reading (all of it if it started since). A compiler thread that ended in between (HotSpot
     * stops idle ones) is not counted, so this never counts more than the compilers used.
     */
    static long jitDelta(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        return sum;
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
