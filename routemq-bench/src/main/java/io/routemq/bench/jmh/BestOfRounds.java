package io.routemq.bench.jmh;

import io.routemq.core.Match;
import io.routemq.core.RouteTable;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A noise-resistant companion to the JMH runs for busy machines: times one pass of the 4096 probe topics of
 * {@link RouterMatchBenchmark} through {@link RouteTable#match}, thousands of rounds, and prints the BEST round as ns
 * per match. JMH reports a mean, which on a shared 2-core machine mostly measures the other processes; the best
 * round approaches the cost with the core to ourselves.
 *
 * <p>A second column repeats the pass over a HOT subset: the first 64 probe topics cycled to the same 4096
 * matches, so that the parts of the table they touch stay in L1/L2. The gap between the two columns at a large
 * table is the cost of cache misses on the spread-out topics, not of the algorithm.
 * Bench code: prints to stdout.
 * <pre>{@code java -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch -XX:+UseCompactObjectHeaders -Xms1g -Xmx1g \
 *     -cp routemq-bench.jar io.routemq.bench.jmh.BestOfRounds [rounds] [routes...]}</pre>
 * (the flags the gateway and the JMH forks run with; docs/performance.md has both).
 */
public final class BestOfRounds {
    /** Distinct topics in the hot subset. */
    static final int HOT = 64;

    private BestOfRounds() {
    }

    /** Runs the probe; the arguments are the number of rounds (default 4000) and the table sizes. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {10, 1000, 10000, 100000};
        System.out.println("| routes | avg topic length | RouteTable.match ns (best round, 4096 topics) | matches/s "
                + "| same, hot subset of " + HOT + " topics, ns |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            List<String> patterns = IotWorkload.patterns(n, IotWorkload.SEED);
            RouteTable table = RouterMatchBenchmark.buildTable(patterns);
            String[] topics = IotWorkload.topics(patterns, RouterMatchBenchmark.TOPICS, RouterMatchBenchmark.MISS_SHARE,
                    IotWorkload.SEED + 1);
            String[] hot = new String[topics.length];
            for (int i = 0; i < hot.length; i++) hot[i] = topics[i % HOT];
            long best = Long.MAX_VALUE;
            long bestHot = Long.MAX_VALUE;
            long sink = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                sink += matches(table, topics);
                long t1 = System.nanoTime();
                sink += matches(table, hot);
                long t2 = System.nanoTime();
                best = Math.min(best, t1 - t0);
                bestHot = Math.min(bestHot, t2 - t1);
            }
            double avgLen = Arrays.stream(topics).mapToInt(String::length).average().orElse(0);
            double ns = best / (double) topics.length;
            System.out.printf(Locale.ROOT, "| %,d | %.1f | %.1f | ~%.1fM | %.1f |%n", n, avgLen, ns, 1000 / ns,
                    bestHot / (double) hot.length);
            if (sink == 42) System.out.println(); // keeps the results alive
        }
    }

    private static int matches(RouteTable table, String[] topics) {
        int c = 0;
        for (String t : topics) {
            Match m = table.match(t);
            if (m != null) c++;
        }
        return c;
    }
}
