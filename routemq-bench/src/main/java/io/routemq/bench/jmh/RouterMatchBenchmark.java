package io.routemq.bench.jmh;

import io.routemq.core.Match;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Topic matching throughput, one thread: {@link RouteTable#match} (the trie) against {@link RegexScanMatcher}
 * (the Python RouteMQ's linear regex scan), over the same {@link IotWorkload} table of 10 to 100k routes and the
 * same 4096 probe topics, cycled by index. One operation is one match, so ops/s is matches/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouterMatchBenchmark {
    /** The number of probe topics; a power of two so that the index wraps with a mask. */
    static final int TOPICS = 4096;
    /** The share of probe topics generated not to match. */
    static final double MISS_SHARE = 0.10;

    /** The number of routes in the table. */
    @Param({"10", "1000", "10000", "100000"})
    public int routes;

    private RouteTable table;
    private RegexScanMatcher regex;
    private String[] topics;
    private int next;

    /** Builds the table, the regex list and the probe topics, and prints how many topics each matcher matches. */
    @Setup(Level.Trial)
    public void setUp() {
        List<String> patterns = IotWorkload.patterns(routes, IotWorkload.SEED);
        table = buildTable(patterns);
        regex = new RegexScanMatcher(patterns);
        topics = IotWorkload.topics(patterns, TOPICS, MISS_SHARE, IotWorkload.SEED + 1);
        int trieHits = 0;
        int regexHits = 0;
        for (String t : topics) {
            if (table.match(t) != null) trieHits++;
            if (regex.match(t) >= 0) regexHits++;
        }
        System.out.printf("%n[workload] routes=%d probe topics=%d trie hits=%d regex hits=%d%n",
                table.size(), topics.length, trieHits, regexHits);
    }

    static RouteTable buildTable(List<String> patterns) {
        Router router = Router.create();
        for (String p : patterns) router.on(p, ctx -> { });
        return router.build();
    }

    /** One trie match; the Match is returned so that JMH consumes it. */
    @Benchmark
    public Match trieMatch() {
        return table.match(topics[next++ & (TOPICS - 1)]);
    }

    /** One linear regex scan, first match wins. */
    @Benchmark
    public int regexScan() {
        return regex.match(topics[next++ & (TOPICS - 1)]);
    }
}
