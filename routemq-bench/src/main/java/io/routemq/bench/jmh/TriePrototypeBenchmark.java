package io.routemq.bench.jmh;

import io.routemq.core.Match;
import io.routemq.core.Route;
import io.routemq.core.RouteTable;
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
 * The {@link FlatTriePrototype} on exactly the workload of {@link RouterMatchBenchmark}, next to the current trie,
 * to measure the layout change proposed for core. Setup checks that both pick the same route for every probe topic.
 * Not part of the main table; run it with {@code run-jmh.sh TriePrototypeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TriePrototypeBenchmark {
    /** The number of routes in the table. */
    @Param({"10", "1000", "10000", "100000"})
    public int routes;

    private RouteTable table;
    private FlatTriePrototype flat;
    private String[] topics;
    private int next;

    /** Builds both tries over the same workload and checks that they agree. */
    @Setup(Level.Trial)
    public void setUp() {
        List<String> patterns = IotWorkload.patterns(routes, IotWorkload.SEED);
        table = RouterMatchBenchmark.buildTable(patterns);
        flat = new FlatTriePrototype(table.routes());
        topics = IotWorkload.topics(patterns, RouterMatchBenchmark.TOPICS, RouterMatchBenchmark.MISS_SHARE, IotWorkload.SEED + 1);
        List<String> check = new java.util.ArrayList<>(List.of(topics));
        check.addAll(List.of("", "/", "//", "$SYS/broker/load", "site", "site/", "site//device//telemetry", "alerts",
                "alerts/", "alerts/a/b/c", "sensors/\u00e9t\u00e9/data", "sensors/\u6e29\u5ea6/data",
                "site/s17/device/d0042/telemetry", "site/s17/device/d0042/telemetry/", "a-very-long-level-name-over-16/x"));
        for (String t : check) {
            Match m = table.match(t);
            Route expected = m == null ? null : m.route();
            Route actual = flat.first(t);
            if (expected != actual) {
                throw new IllegalStateException("prototype disagrees on '" + t + "': trie " + expected + ", prototype " + actual);
            }
        }
    }

    /** The current trie, as in {@link RouterMatchBenchmark#trieMatch()}. */
    @Benchmark
    public Match trieMatch() {
        return table.match(topics[next++ & (RouterMatchBenchmark.TOPICS - 1)]);
    }

    /** The prototype, wrapped in a {@link Match} as {@code RouteTable.match} would, so that allocation is equal. */
    @Benchmark
    public Match flatTrieMatch() {
        String topic = topics[next++ & (RouterMatchBenchmark.TOPICS - 1)];
        Route r = flat.first(topic);
        return r == null ? null : new Match(r, topic);
    }
}
