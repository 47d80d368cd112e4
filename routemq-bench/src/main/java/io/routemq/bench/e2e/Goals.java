package io.routemq.bench.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The targets of issue 11 (part 3), judged on every round: a goal is met only when every round meets it, never on
 * the best round or on the median. Each goal lists each round's figure, so a miss says by how much.
 */
final class Goals {
    private Goals() {
    }

    /** One goal: its statement, each round's figure, and MET, MISSED, NOT JUDGED or NOT MEASURED. */
    record Goal(String target, List<String> rounds, String status) {
        String line() {
            return target + ": " + (rounds.isEmpty() ? "" : String.join("; ", rounds) + " -> ") + status;
        }
    }

    /** What one round shows for a goal: the figure and whether it holds; null when the round lacks a row. */
    record Check(String figure, boolean ok) {
    }

    static List<Goal> evaluate(List<ScenarioResult> rows, int rounds) {
        return evaluate(rows, rounds, null);
    }

    /**
     * The goals; with several gateway builds ({@code gateway} not null) the gateway goals judge the rows of that build
     * ({@code http-batch@after}), the last one given.
     */
    static List<Goal> evaluate(List<ScenarioResult> rows, int rounds, String gateway) {
        String at = gateway == null ? "" : "@" + gateway;
        String of = gateway == null ? "" : " (build " + gateway + ")";
        List<Goal> out = new ArrayList<>();
        // the framework path as it runs by default (each message on its topic's lane thread), then with the route
        // declared non-blocking (on the client's thread); judged only where the run has the scenario
        for (String[] path : new String[][] {{"router", "framework path"}, {"router-nb", "framework path, non-blocking route"}}) {
            String scenario = path[0];
            if (scenario.equals("router-nb") && rows.stream().noneMatch(r -> r.scenario().equals(scenario))) continue;
            out.add(goal(path[1] + ", QoS 0: throughput >= 0.9x raw and CPU µs/msg <= 1.4x raw", rows, rounds, round -> {
                ScenarioResult r = row(rows, scenario, 0, round);
                if (r == null || r.ratioToRaw() == null || r.cpuRatioToRaw() == null) return null;
                return new Check(x(r.ratioToRaw()) + " throughput, " + x(r.cpuRatioToRaw()) + " CPU",
                        r.ratioToRaw() >= 0.9 && r.cpuRatioToRaw() <= 1.4);
            }));
            out.add(goal(path[1] + ", QoS 1: CPU µs/msg <= 1.15x raw", rows, rounds, round -> {
                ScenarioResult r = row(rows, scenario, 1, round);
                if (r == null || r.cpuRatioToRaw() == null) return null;
                return new Check(x(r.cpuRatioToRaw()) + " CPU", r.cpuRatioToRaw() <= 1.15);
            }));
        }
        out.add(goal("gateway to the durable queue" + of + ", QoS 1: throughput >= 0.8x raw QoS 1", rows, rounds, round -> {
            ScenarioResult r = row(rows, "queue" + at, 1, round);
            if (r == null || r.ratioToRaw() == null) return null;
            return new Check(x(r.ratioToRaw()) + " throughput", r.ratioToRaw() >= 0.8);
        }));
        out.add(goal("gateway to HTTP batched" + of + ", QoS 1: throughput >= 0.8x raw QoS 1 and CPU µs/msg <= 2x raw", rows, rounds, round -> {
            ScenarioResult r = row(rows, "http-batch" + at, 1, round);
            if (r == null || r.ratioToRaw() == null || r.cpuRatioToRaw() == null) return null;
            return new Check(x(r.ratioToRaw()) + " throughput, " + x(r.cpuRatioToRaw()) + " CPU",
                    r.ratioToRaw() >= 0.8 && r.cpuRatioToRaw() <= 2.0);
        }));
        out.add(goal("gateway to HTTP per message" + of + ", QoS 1: CPU µs/msg <= 0.7x the simplest lossless forwarder's", rows, rounds, round -> {
            ScenarioResult r = row(rows, "http" + at, 1, round);
            ScenarioResult f = row(rows, "forwarder", 1, round);
            if (r == null || f == null || r.cpuUsPerMsg() < 0 || f.cpuUsPerMsg() <= 0) return null;
            double ratio = r.cpuUsPerMsg() / f.cpuUsPerMsg();
            return new Check(String.format(Locale.ROOT, "%s (%.1f vs %.1f µs)", x(ratio), r.cpuUsPerMsg(), f.cpuUsPerMsg()), ratio <= 0.7);
        }));
        out.add(goal("memory: the framework consumer's heap after GC with 10k routes within 10 MB of the raw client's", rows, rounds,
                round -> {
                    List<String> figures = new ArrayList<>();
                    boolean ok = true;
                    for (ScenarioResult r : rows) {
                        if (!r.scenario().equals("router10k") || r.round() != round || !r.full() || r.heapAfterGcMb() < 0) continue;
                        ScenarioResult raw = BenchRunner.baseline(rows, "raw", r);
                        if (raw == null || raw.heapAfterGcMb() < 0) continue;
                        double diff = r.heapAfterGcMb() - raw.heapAfterGcMb();
                        figures.add(String.format(Locale.ROOT, "QoS %d %+.1f MB (%.1f vs %.1f)", r.qos(), diff, r.heapAfterGcMb(), raw.heapAfterGcMb()));
                        ok &= diff <= 10;
                    }
                    return figures.isEmpty() ? null : new Check(String.join(", ", figures), ok);
                }));
        return out;
    }

    private static Goal goal(String target, List<ScenarioResult> rows, int rounds, Function<Integer, Check> perRound) {
        List<String> figures = new ArrayList<>();
        List<Integer> missed = new ArrayList<>();
        List<Integer> absent = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Check c = perRound.apply(round);
            if (c == null) {
                absent.add(round);
                continue;
            }
            figures.add("round " + round + " " + c.figure() + (c.ok() ? "" : " (missed)"));
            if (!c.ok()) missed.add(round);
        }
        return new Goal(target, figures, status(rounds, figures.size(), absent, missed));
    }

    /**
     * The verdict over the rounds: MET only when every round has a figure and meets the target, and there are at
     * least 2 rounds; else MISSED (naming the rounds), NOT JUDGED or NOT MEASURED.
     *
     * @param judged rounds with a figure
     * @param absent rounds without one
     * @param missed rounds whose figure misses the target
     */
    static String status(int rounds, int judged, List<Integer> absent, List<Integer> missed) {
        if (judged == 0) return "NOT MEASURED (the run lacks the scenarios it compares)";
        if (!absent.isEmpty()) return "NOT JUDGED (no figure in round(s) " + absent + ")";
        if (!missed.isEmpty()) return "MISSED in round(s) " + missed;
        if (rounds < 2) return "NOT JUDGED (one round; run --rounds 2 or more)";
        return "MET in every round";
    }

    /** The full-load row of a scenario at a QoS in a round, or null. */
    static ScenarioResult row(List<ScenarioResult> rows, String scenario, int qos, int round) {
        for (ScenarioResult r : rows) if (r.scenario().equals(scenario) && r.qos() == qos && r.round() == round && r.full()) return r;
        return null;
    }

    static String x(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** The median of the values (the mean of the middle two for an even count), or null for none. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) return null;
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }
}
