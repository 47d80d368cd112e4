package io.routemq.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the scenarios of a {@link BenchConfig} one after the other on one broker with one set of publishers, then
 * writes the report. Per scenario and QoS: start the receiving side, warm up, measure at the target rate (or as fast
 * as possible), optionally measure again at half the rate reached, stop the receiving side.
 */
final class BenchRunner {
    private static final byte WARMUP = 1;
    private static final byte MEASURED = 2;
    private static final byte HALF = 3;

    private final BenchConfig config;
    private final TopicTree tree;
    private final PrintStream log;

    BenchRunner(BenchConfig config, PrintStream log) {
        this.config = config;
        this.tree = config.tree();
        this.log = log;
    }

    BenchReport run() throws Exception {
        Files.createDirectories(config.out());
        Map<String, Object> env = Environment.describe();
        List<ScenarioResult> results = new ArrayList<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        env.put("loadAverageAtStart", Environment.loadAverage());
        log.println("routemq bench: starting broker " + config.broker() + " ...");
        try (BrokerTarget broker = BrokerTarget.open(config.broker());
             LoadGenerator gen = new LoadGenerator(broker, tree, config.publishers(), config.window())) {
            env.put("broker", broker.describe());
            if (config.jvmWarmup() > 0) {
                // JIT-compile the broker, the publishers and the client before the first scenario, which would
                // otherwise pay for it alone
                for (int qos : config.qos()) {
                    log.println("routemq bench: JVM warm-up, raw qos " + qos + ", " + config.jvmWarmup() + " messages ...");
                    ReceiptSlot slot = new ReceiptSlot();
                    try (Scenario s = Scenario.start(ScenarioKind.RAW, broker, qos, slot, config, config.out().resolve("work"))) {
                        measure(ScenarioKind.RAW, qos, 0, "jvm-warm-up", WARMUP, config.jvmWarmup(), null, 0, slot, broker, gen, s, false);
                    }
                }
            }
            for (int round = 1; round <= config.rounds(); round++) {
                List<ScenarioKind> order = new ArrayList<>(config.scenarios());
                if (round % 2 == 0) java.util.Collections.reverse(order); // spread warm-up and order effects
                for (ScenarioKind kind : order) {
                    for (int qos : config.qos()) {
                        String tag = kind.id() + " qos " + qos + (config.rounds() > 1 ? " round " + round : "");
                        log.println("routemq bench: " + tag + " ...");
                        int before = results.size();
                        try {
                            results.addAll(runScenario(kind, qos, round, broker, gen, descriptions));
                        } catch (Exception e) {
                            log.println("routemq bench: " + tag + " failed: " + e);
                            results.add(ScenarioResult.failed(kind.id(), qos, round, "max", String.valueOf(e)));
                        }
                        for (ScenarioResult r : results.subList(before, results.size())) log.println("routemq bench: " + Report.oneLine(r));
                    }
                }
            }
        }
        env.put("loadAverageAtEnd", Environment.loadAverage());
        List<ScenarioResult> best = withRatios(best(results, config));
        return Report.write(config, env, best, withRatios(results), descriptions);
    }

    /**
     * One row per scenario, QoS and load over the rounds: the highest throughput for {@code max}/{@code rate} rows,
     * the lowest p99 for {@code half} rows; a failed row only when every round failed. In scenario order.
     */
    static List<ScenarioResult> best(List<ScenarioResult> all, BenchConfig config) {
        List<ScenarioResult> out = new ArrayList<>();
        for (ScenarioKind kind : config.scenarios()) {
            for (int qos : config.qos()) {
                for (String load : List.of("max", "rate", "half")) {
                    ScenarioResult pick = null;
                    for (ScenarioResult r : all) {
                        if (!r.scenario().equals(kind.id()) || r.qos() != qos || !r.load().equals(load)) continue;
                        if (pick == null || pick.error() != null && r.error() == null) {
                            pick = r;
                        } else if (r.error() == null) {
                            boolean better = load.equals("half") ? r.p99Ms() < pick.p99Ms() : r.msgsPerSec() > pick.msgsPerSec();
                            if (better) pick = r;
                        }
                    }
                    if (pick != null) out.add(pick);
                }
            }
        }
        return out;
    }

    private List<ScenarioResult> runScenario(ScenarioKind kind, int qos, int round, BrokerTarget broker, LoadGenerator gen,
                                             Map<String, String> descriptions) throws Exception {
        List<ScenarioResult> out = new ArrayList<>();
        ReceiptSlot slot = new ReceiptSlot();
        Path work = config.out().resolve("work");
        try (Scenario scenario = Scenario.start(kind, broker, qos, slot, config, work)) {
            descriptions.put(kind.id() + " qos " + qos, kind.description() + ": " + scenario.describe());
            long messages = config.messages(kind, qos);
            long warmup = config.warmup() >= 0 ? config.warmup() : Math.min(30_000, messages / 4);
            if (warmup > 0) {
                measure(kind, qos, round, "warm-up", WARMUP, warmup, null, 0, slot, broker, gen, scenario, false);
            }
            String load = config.rate() > 0 ? "rate" : "max";
            ScenarioResult max = measure(kind, qos, round, load, MEASURED, messages, config.duration(), config.rate(), slot, broker, gen,
                    scenario, true);
            out.add(max);
            if (config.halfLoad() && max.msgsPerSec() > 0) {
                double half = Math.max(1, Math.floor(max.msgsPerSec() / 2));
                out.add(measure(kind, qos, round, "half", HALF, messages, config.duration(), half, slot, broker, gen, scenario, true));
            }
        }
        if (work.toFile().exists()) work.toFile().delete(); // empty once the http scenario closed its queue
        return out;
    }

    private ScenarioResult measure(ScenarioKind kind, int qos, int round, String load, byte phase, long messages, java.time.Duration duration,
                                   double rate, ReceiptSlot slot, BrokerTarget broker, LoadGenerator gen, Scenario scenario,
                                   boolean record) throws Exception {
        Receipts receipts = new Receipts(phase, tree.size());
        slot.set(receipts);
        scenario.notes(); // counters restart with this phase
        fullGc();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[] gc0 = gcTotals();
        long dropped0 = broker.dropped();
        double load0 = Environment.loadAverage();
        long t0 = System.nanoTime();
        String label = kind.id() + " q" + qos + " " + load;
        LoadGenerator.Published pub;
        boolean complete;
        Progress progress = Progress.start(config.progress(), label, duration == null ? messages : -1,
                duration == null ? 0 : duration.toNanos(), receipts::distinct);
        try {
            pub = gen.run(new LoadGenerator.Plan(phase, qos, config.payloadBytes(), messages, duration, rate, config.maxOutstanding(),
                    receipts::received));
            long deadline = t0 + config.phaseTimeout().toNanos();
            complete = receipts.awaitDistinct(pub.issued() - pub.failed(), config.idleTimeout().toNanos(), deadline);
        } finally {
            if (progress != null) progress.close();
        }
        long t1 = System.nanoTime();
        long cpu = os.getProcessCpuTime() - cpu0;
        long[] gc = gcTotals();
        long dropped = broker.dropped() < 0 ? -1 : broker.dropped() - dropped0;
        double load1 = Environment.loadAverage();
        fullGc();
        double heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        if (!record) return null;
        Histogram h = receipts.latencyNanos();
        long distinct = receipts.distinct();
        long end = Math.max(receipts.lastReceiveNanos(), pub.startNanos() + 1);
        double seconds = (end - pub.startNanos()) / 1e9;
        double msgsPerSec = distinct / seconds;
        long lost = Math.max(0, pub.issued() - pub.failed() - distinct);
        String notes = scenario.notes();
        if (pub.firstError() != null) notes = (notes.isEmpty() ? "" : notes + "; ") + "first publish error: " + pub.firstError();
        if (receipts.stray() > 0) notes = (notes.isEmpty() ? "" : notes + "; ") + receipts.stray() + " stray messages of another phase";
        ScenarioResult r = new ScenarioResult(kind.id(), qos, round, load, rate, pub.issued(), pub.failed(), receipts.received(), lost,
                receipts.duplicates(), receipts.reordered(), msgsPerSec, pub.issued() / pub.seconds(), null,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                h.getTotalCount() == 0 ? 0 : h.getMean() / 1e6, heapMb, cpu / (double) Math.max(1, t1 - t0),
                distinct == 0 ? 0 : cpu / 1000.0 / distinct, gc[0] - gc0[0], gc[1] - gc0[1], seconds, load0, load1, dropped, complete,
                notes, null);
        writeHistogram(h, kind, qos, round, load);
        return r;
    }

    private void writeHistogram(Histogram h, ScenarioKind kind, int qos, int round, String load) throws IOException {
        Path f = config.out().resolve("latency-" + kind.id() + "-qos" + qos + "-" + load + "-r" + round + ".hgrm");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(f), true, java.nio.charset.StandardCharsets.UTF_8)) {
            ps.println("# publish-to-handler latency, " + kind.id() + " qos " + qos + " load " + load + "; values in milliseconds");
            if (h.getTotalCount() > 0) h.outputPercentileDistribution(ps, 1e6);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void fullGc() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        System.gc();
    }

    private static long[] gcTotals() {
        long count = 0;
        long time = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            time += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, time};
    }

    /**
     * Adds the ratio to the raw baseline at the same QoS and load ({@code max} or {@code rate}): the raw row of the same
     * round when there is one (all rounds), else the best raw row (the best-of-rounds table).
     */
    static List<ScenarioResult> withRatios(List<ScenarioResult> results) {
        List<ScenarioResult> out = new ArrayList<>();
        for (ScenarioResult r : results) {
            ScenarioResult base = null;
            for (ScenarioResult b : results) {
                if (b.scenario().equals("raw") && b.qos() == r.qos() && b.load().equals(r.load()) && b.error() == null
                        && (base == null || b.round() == r.round() || base.round() != r.round() && b.msgsPerSec() > base.msgsPerSec())) {
                    base = b;
                }
            }
            Double ratio = base == null || base.msgsPerSec() <= 0 || r.error() != null || r.load().equals("half")
                    ? null : r.msgsPerSec() / base.msgsPerSec();
            out.add(r.withRatio(ratio));
        }
        return out;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
