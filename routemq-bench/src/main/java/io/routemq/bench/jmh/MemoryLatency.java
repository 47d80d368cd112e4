package io.routemq.bench.jmh;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What one cache miss costs on this machine, to read the router figures against: a pointer chase through a random
 * cyclic permutation of the cache lines of an {@code int[]} of 1 to 256 MiB, one dependent load per step, best of
 * five passes. A 100k-route table is tens of MiB read at random, so its deep levels cost about the 16-64 MiB figure
 * each, unless they stay in L2 across matches. Run it with the same JVM flags as the benchmark (2 MB pages change
 * the larger figures). Bench code: prints to stdout.
 * <pre>{@code java -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch -Xms2g -Xmx2g \
 *     -cp routemq-bench.jar io.routemq.bench.jmh.MemoryLatency}</pre>
 */
public final class MemoryLatency {
    private static final int STEPS = 2_000_000;
    private static final int INTS_PER_LINE = 16;

    private MemoryLatency() {
    }

    /** Prints ns per dependent load for each array size. */
    public static void main(String[] args) {
        System.out.println("| array | ns per dependent load |");
        System.out.println("|---:|---:|");
        long sink = 0;
        for (int mib : new int[] {1, 4, 16, 64, 256}) {
            int[] next = chain(mib * 1024 * 1024 / Integer.BYTES);
            int p = 0;
            long best = Long.MAX_VALUE;
            for (int pass = 0; pass < 5; pass++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < STEPS; i++) p = next[p];
                best = Math.min(best, System.nanoTime() - t0);
            }
            sink += p;
            System.out.printf(Locale.ROOT, "| %d MiB | %.1f |%n", mib, best / (double) STEPS);
        }
        if (sink == 42) System.out.println(); // keeps the chase alive
    }

    /** An array whose first int of each cache line holds the index of the next line of one random cycle. */
    private static int[] chain(int ints) {
        int lines = ints / INTS_PER_LINE;
        int[] order = new int[lines];
        for (int i = 0; i < lines; i++) order[i] = i;
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = lines - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] next = new int[ints];
        for (int i = 0; i < lines; i++) next[order[i] * INTS_PER_LINE] = order[(i + 1) % lines] * INTS_PER_LINE;
        return next;
    }
}
