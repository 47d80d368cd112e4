package io.routemq.bench.jmh;

import java.util.Locale;

/**
 * A noise-resistant companion to {@link TypedHandlerBenchmark} for busy machines, like {@link BestOfRounds}: runs
 * passes of {@value #PASS} messages through the typed handler, the plain handler and the baseline, interleaved (so
 * that all three see the same load), thousands of rounds, and prints the BEST pass of each as ns per message.
 * Bench code: prints to stdout.
 * <pre>{@code java -Xms1g -Xmx1g -cp routemq-bench.jar io.routemq.bench.jmh.TypedHandlerRounds [rounds]}</pre>
 */
public final class TypedHandlerRounds {
    /** Messages per timed pass. */
    static final int PASS = 1024;

    private TypedHandlerRounds() {
    }

    /** Runs the passes; the argument is the number of rounds (default 3000). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        TypedHandlerBenchmark b = new TypedHandlerBenchmark();
        b.setup();
        long bestTyped = Long.MAX_VALUE;
        long bestPlain = Long.MAX_VALUE;
        long bestBase = Long.MAX_VALUE;
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < PASS; i++) sink += b.typed();
            long t1 = System.nanoTime();
            for (int i = 0; i < PASS; i++) sink += b.plain();
            long t2 = System.nanoTime();
            for (int i = 0; i < PASS; i++) sink += b.baseline().topic().length();
            long t3 = System.nanoTime();
            bestTyped = Math.min(bestTyped, t1 - t0);
            bestPlain = Math.min(bestPlain, t2 - t1);
            bestBase = Math.min(bestBase, t3 - t2);
        }
        System.out.println("| handler | ns/message (best of " + rounds + " passes of " + PASS + ") |");
        System.out.println("|---|---:|");
        System.out.println(row("typed (generated binder)", bestTyped));
        System.out.println(row("plain Handler by hand", bestPlain));
        System.out.println(row("baseline (lookup + Context)", bestBase));
        if (sink == 42) System.out.println();
    }

    private static String row(String name, long nanos) {
        return String.format(Locale.ROOT, "| %s | %.1f |", name, nanos / (double) PASS);
    }
}
