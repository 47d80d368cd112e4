package io.routemq.bench.jmh;

import io.routemq.core.Match;
import io.routemq.core.Route;
import io.routemq.core.RouteTable;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A noise-resistant companion to the JMH runs for busy machines: times one pass of the 4096 probe topics of
 * {@link RouterMatchBenchmark} through the current trie and the {@link FlatTriePrototype}, alternating, thousands of
 * rounds, and prints the BEST round of each as ns per match. JMH reports a mean, which on a shared 2-core machine
 * mostly measures the other processes; the best round approaches the cost with the core to ourselves.
 * Bench code: prints to stdout.
 * <pre>{@code java -cp routemq-bench.jar io.routemq.bench.jmh.BestOfRounds [rounds] [routes...]}</pre>
 */
public final class BestOfRounds {
    private BestOfRounds() {
    }

    /** Runs the probe; the arguments are the number of rounds (default 4000) and the table sizes. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {10, 1000, 10000, 100000};
        System.out.println("| routes | avg topic length | RouteTable.match ns (best round) | FlatTriePrototype ns (best round) |");
        System.out.println("|---:|---:|---:|---:|");
        for (int n : sizes) {
            List<String> patterns = IotWorkload.patterns(n, IotWorkload.SEED);
            RouteTable table = RouterMatchBenchmark.buildTable(patterns);
            FlatTriePrototype flat = new FlatTriePrototype(table.routes());
            String[] topics = IotWorkload.topics(patterns, RouterMatchBenchmark.TOPICS, RouterMatchBenchmark.MISS_SHARE,
                    IotWorkload.SEED + 1);
            long bestTrie = Long.MAX_VALUE;
            long bestFlat = Long.MAX_VALUE;
            long sink = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                sink += trie(table, topics);
                long t1 = System.nanoTime();
                sink += flat(flat, topics);
                long t2 = System.nanoTime();
                bestTrie = Math.min(bestTrie, t1 - t0);
                bestFlat = Math.min(bestFlat, t2 - t1);
            }
            double avgLen = Arrays.stream(topics).mapToInt(String::length).average().orElse(0);
            System.out.printf(Locale.ROOT, "| %,d | %.1f | %.1f | %.1f |%n", n, avgLen,
                    bestTrie / (double) topics.length, bestFlat / (double) topics.length);
            if (sink == 42) System.out.println(); // keeps the results alive
        }
    }

    private static int trie(RouteTable table, String[] topics) {
        int c = 0;
        for (String t : topics) {
            Match m = table.match(t);
            if (m != null) c++;
        }
        return c;
    }

    private static int flat(FlatTriePrototype flat, String[] topics) {
        int c = 0;
        for (String t : topics) {
            Route r = flat.first(t);
            if (r != null) c++;
        }
        return c;
    }
}
