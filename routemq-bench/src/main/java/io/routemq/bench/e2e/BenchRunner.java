package io.routemq.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the scenarios of a {@link BenchConfig} in alternating rounds on one broker with one set of publishers, then
 * writes the report. Each round runs every QoS, and at each QoS every scenario in the same order, raw first
 * (raw, A, B, ..., raw, A, B, ...), so that each scenario's baseline ran minutes, not rounds, before it. A gateway
 * scenario runs once per gateway build, the builds next to each other (..., http-batch@before, http-batch@after, ...),
 * so that a before/after comparison alternates within every round too. Per scenario:
 * start its consumer process, warm up, measure at the target rate (or as fast as possible), optionally measure again
 * at half the rate reached, stop the consumer. CPU is read from {@code /proc/<pid>/stat} of the consumer, the broker
 * and the bench process over each measured window.
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
        Files.createDirectories(config.out().resolve("logs"));
        Path work = config.out().resolve("work");
        Map<String, Object> env = Environment.describe();
        env.put("consumerJvmOptions", config.consumerJvmOptions());
        List<ScenarioResult> results = new ArrayList<>();
        Map<String, String> descriptions = new LinkedHashMap<>();
        env.put("loadAverageAtStart", Environment.loadAverage());
        log.println("routemq bench: starting broker (" + config.broker() + ") ...");
        try (BrokerTarget broker = BrokerTarget.open(config.broker(), work);
             LoadGenerator gen = new LoadGenerator(broker, tree, config.publishers(), config.window())) {
            env.put("broker", broker.describe());
            log.println("routemq bench: broker " + broker.describe());
            if (config.jvmWarmup() > 0) {
                // JIT-compile the publishers (and an embedded broker) before the first round, which would otherwise pay for it
                for (int qos : config.qos()) {
                    log.println("routemq bench: warm-up of the publishers, raw qos " + qos + ", " + config.jvmWarmup() + " messages ...");
                    try (Scenario s = Scenario.start(ScenarioKind.RAW, null, broker, qos, config, work, "warm-up-raw-qos" + qos)) {
                        measure(ScenarioKind.RAW.id(), qos, 0, "jvm-warm-up", WARMUP, config.jvmWarmup(), null, 0, broker, gen, s, false);
                    }
                }
            }
            for (int round = 1; round <= config.rounds(); round++) {
                for (int qos : config.qos()) {
                    for (BenchConfig.Run run : config.runs()) {
                        String tag = run.label() + " qos " + qos + " round " + round;
                        log.println("routemq bench: " + tag + " ...");
                        int before = results.size();
                        try {
                            results.addAll(runScenario(run, qos, round, broker, gen, work, descriptions));
                        } catch (Exception e) {
                            log.println("routemq bench: " + tag + " failed: " + e);
                            results.add(ScenarioResult.failed(run.label(), qos, round, config.rate() > 0 ? "rate" : "max", String.valueOf(e)));
                        }
                        for (ScenarioResult r : results.subList(before, results.size())) log.println("routemq bench: " + Report.oneLine(r));
                    }
                }
            }
        }
        env.put("loadAverageAtEnd", Environment.loadAverage());
        return Report.write(config, env, withRatios(results), descriptions);
    }

    private List<ScenarioResult> runScenario(BenchConfig.Run run, int qos, int round, BrokerTarget broker, LoadGenerator gen, Path work,
                                             Map<String, String> descriptions) throws Exception {
        List<ScenarioResult> out = new ArrayList<>();
        ScenarioKind kind = run.kind();
        String label = run.label();
        String tag = label + "-qos" + qos + "-r" + round;
        try (Scenario scenario = Scenario.start(kind, run.gateway(), broker, qos, config, work, tag)) {
            descriptions.put(label + " qos " + qos, kind.description() + ": " + scenario.describe());
            long messages = config.messages(kind, qos);
            long warmup = config.warmup() >= 0 ? config.warmup() : Math.min(BenchConfig.DEFAULT_WARMUP, messages);
            if (warmup > 0) {
                measure(label, qos, round, "warm-up", WARMUP, warmup, null, 0, broker, gen, scenario, false);
            }
            String load = config.rate() > 0 ? "rate" : "max";
            ScenarioResult max = measure(label, qos, round, load, MEASURED, messages, config.duration(), config.rate(), broker, gen,
                    scenario, true);
            out.add(max);
            if (config.halfLoad() && max.msgsPerSec() > 0) {
                double half = Math.max(1, Math.floor(max.msgsPerSec() / 2));
                out.add(measure(label, qos, round, "half", HALF, messages, config.duration(), half, broker, gen, scenario, true));
            }
        }
        return out;
    }

    private ScenarioResult measure(String scenarioLabel, int qos, int round, String load, byte phase, long messages, java.time.Duration duration,
                                   double rate, BrokerTarget broker, LoadGenerator gen, Scenario scenario, boolean record) throws Exception {
        scenario.begin(phase);
        scenario.notes(); // counters restart with this phase
        fullGc();
        long self = ProcessHandle.current().pid();
        long consumer0 = ProcStat.cpuNanos(scenario.pid());
        Map<Long, Long> jit0 = ProcStat.jitThreads(scenario.pid());
        long broker0 = broker.pid() == self ? -1 : ProcStat.cpuNanos(broker.pid());
        long bench0 = ProcStat.cpuNanos(self);
        long dropped0 = broker.dropped();
        double load0 = Environment.loadAverage();
        long t0 = System.nanoTime();
        String label = scenarioLabel + " q" + qos + " " + load;
        LoadGenerator.Published pub;
        boolean complete;
        Progress progress = Progress.start(config.progress(), label, duration == null ? messages : -1,
                duration == null ? 0 : duration.toNanos(), scenario::distinct);
        try {
            pub = gen.run(new LoadGenerator.Plan(phase, qos, config.payloadBytes(), messages, duration, rate, config.maxOutstanding(),
                    scenario::distinct));
            long deadline = t0 + config.phaseTimeout().toNanos();
            complete = Receipts.awaitDistinct(scenario::distinct, pub.issued() - pub.failed(), config.idleTimeout().toNanos(), deadline);
        } finally {
            if (progress != null) progress.close();
        }
        long t1 = System.nanoTime();
        long consumerCpu = delta(consumer0, ProcStat.cpuNanos(scenario.pid()));
        Map<Long, Long> jit1 = ProcStat.jitThreads(scenario.pid());
        long jitCpu = consumerCpu < 0 || jit1.isEmpty() ? -1 : ProcStat.jitDelta(jit0, jit1);
        long brokerCpu = delta(broker0, broker0 < 0 ? -1 : ProcStat.cpuNanos(broker.pid()));
        long benchCpu = delta(bench0, ProcStat.cpuNanos(self));
        long dropped = broker.dropped() < 0 ? -1 : broker.dropped() - dropped0;
        double load1 = Environment.loadAverage();
        Receipts.Summary receipts = scenario.finish();
        if (!record) return null;
        long heap = scenario.heapAfterGc();
        Histogram h = receipts.latencyNanos();
        long distinct = receipts.distinct();
        long end = Math.max(receipts.lastReceiveNanos(), pub.startWallNanos() + 1);
        double seconds = (end - pub.startWallNanos()) / 1e9;
        double msgsPerSec = distinct / seconds;
        long lost = Math.max(0, pub.issued() - pub.failed() - distinct);
        String notes = scenario.notes();
        if (pub.firstError() != null) notes = (notes.isEmpty() ? "" : notes + "; ") + "first publish error: " + pub.firstError();
        if (receipts.stray() > 0) notes = (notes.isEmpty() ? "" : notes + "; ") + receipts.stray() + " stray messages of another phase";
        boolean timed = h.getTotalCount() > 0 || receipts.duplicates() >= 0; // a count-only consumer has neither
        ScenarioResult r = new ScenarioResult(scenarioLabel, qos, round, load, rate, pub.issued(), pub.failed(), receipts.received(), lost,
                receipts.duplicates(), receipts.reordered(), msgsPerSec, pub.issued() / pub.seconds(), null, null,
                timed ? ms(h.getValueAtPercentile(50)) : -1, timed ? ms(h.getValueAtPercentile(99)) : -1,
                timed ? ms(h.getValueAtPercentile(99.9)) : -1, timed ? ms(h.getMaxValue()) : -1,
                !timed ? -1 : h.getTotalCount() == 0 ? 0 : h.getMean() / 1e6, heap < 0 ? -1 : heap / 1048576.0,
                consumerCpu < 0 ? -1 : consumerCpu / (double) Math.max(1, t1 - t0), perMessage(consumerCpu, distinct), perMessage(jitCpu, distinct),
                perMessage(brokerCpu, distinct), perMessage(benchCpu, distinct), scenario.pid(), seconds, load0, load1, dropped, complete, notes, null);
        writeHistogram(h, scenarioLabel, qos, round, load);
        return r;
    }

    private static long delta(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    private static double perMessage(long cpuNanos, long messages) {
        if (cpuNanos < 0) return -1;
        return messages == 0 ? 0 : cpuNanos / 1000.0 / messages;
    }

    private void writeHistogram(Histogram h, String scenario, int qos, int round, String load) throws IOException {
        Path f = config.out().resolve("latency-" + scenario + "-qos" + qos + "-" + load + "-r" + round + ".hgrm");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(f), true, java.nio.charset.StandardCharsets.UTF_8)) {
            ps.println("# publish-to-receipt latency (wall clock), " + scenario + " qos " + qos + " load " + load + " round " + round
                    + "; values in milliseconds");
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

    /**
     * Adds the ratios (throughput and consumer CPU per message) to the raw row of the same round, QoS and load
     * ({@code max} or {@code rate}); none for half-load rows, failed rows, or without a raw row in that round.
     */
    static List<ScenarioResult> withRatios(List<ScenarioResult> results) {
        List<ScenarioResult> out = new ArrayList<>();
        for (ScenarioResult r : results) {
            ScenarioResult base = baseline(results, "raw", r);
            Double ratio = base == null || base.msgsPerSec() <= 0 || !r.full() ? null : r.msgsPerSec() / base.msgsPerSec();
            Double cpu = base == null || base.cpuUsPerMsg() <= 0 || r.cpuUsPerMsg() < 0 || !r.full() ? null : r.cpuUsPerMsg() / base.cpuUsPerMsg();
            out.add(r.withRatios(ratio, cpu));
        }
        return out;
    }

    /** The measured row of {@code scenario} in the same round, QoS and load as {@code r}, or null. */
    static ScenarioResult baseline(List<ScenarioResult> results, String scenario, ScenarioResult r) {
        for (ScenarioResult b : results) {
            if (b.scenario().equals(scenario) && b.round() == r.round() && b.qos() == r.qos() && b.load().equals(r.load()) && b.full()) {
                return b;
            }
        }
        return null;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
