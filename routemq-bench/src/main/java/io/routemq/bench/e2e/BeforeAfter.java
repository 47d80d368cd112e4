package io.routemq.bench.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * The before/after comparison of gateway builds ({@code --gateway}, at least two): for each gateway scenario and QoS,
 * each later build's rows against the first build's rows of the same round. Per round the ratio after/before of
 * msgs/s and of the gateway process's CPU µs per message, and their medians. "After is within 5% of before, or
 * better" (issue 10) means msgs/s at least 0.95x before and CPU µs/msg at most 1.05x before, and like the goals it
 * holds only when it holds in every round ({@link Goals#status}).
 */
final class BeforeAfter {
    /** How much worse than before "within 5%" allows. */
    static final double TOLERANCE = 0.05;

    private BeforeAfter() {
    }

    /** One round: after/before of msgs/s and of CPU µs/msg, and whether that round holds. */
    record Round(int round, double throughputRatio, double cpuRatio, boolean ok) {
        String figure() {
            return "round " + round + " " + Goals.x(throughputRatio) + " msgs/s, " + Goals.x(cpuRatio) + " CPU µs/msg" + (ok ? "" : " (missed)");
        }
    }

    /**
     * One gateway scenario at one QoS, build {@code after} against build {@code before}.
     *
     * @param scenario         the scenario id ({@code http-batch})
     * @param qos              the QoS
     * @param before           the first build's id
     * @param after            the compared build's id
     * @param rounds           each round with both rows measured
     * @param throughputMedian the median of the msgs/s ratios, or null
     * @param cpuMedian        the median of the CPU µs/msg ratios, or null
     * @param status           MET in every round, MISSED in round(s) [...], NOT JUDGED or NOT MEASURED
     */
    record Comparison(String scenario, int qos, String before, String after, List<Round> rounds, Double throughputMedian, Double cpuMedian,
                      String status) {
        /** The report's line. */
        String line() {
            StringBuilder b = new StringBuilder();
            b.append(scenario).append(" QoS ").append(qos).append(", ").append(after).append(" vs ").append(before)
                    .append(": after within 5% of before, or better (msgs/s >= 0.95x and CPU µs/msg <= 1.05x): ");
            if (!rounds.isEmpty()) {
                b.append(String.join("; ", rounds.stream().map(Round::figure).toList()));
                b.append("; median ").append(Goals.x(throughputMedian)).append(" msgs/s, ").append(Goals.x(cpuMedian)).append(" CPU µs/msg -> ");
            }
            return b.append(status).toString();
        }
    }

    /** Whether one round's ratios hold: msgs/s at least 0.95x before, CPU µs/msg at most 1.05x before. */
    static boolean holds(double throughputRatio, double cpuRatio) {
        return throughputRatio >= 1 - TOLERANCE && cpuRatio <= 1 + TOLERANCE;
    }

    /**
     * The comparisons of a run: none with fewer than two gateway builds.
     *
     * @param rows     the rows, gateway scenarios labelled {@code <scenario>@<id>}
     * @param builds   the gateway build ids in order; the first is "before"
     * @param kinds    the scenarios of the run
     * @param qos      the QoS levels of the run
     * @param rounds   the rounds of the run
     */
    static List<Comparison> evaluate(List<ScenarioResult> rows, List<String> builds, List<ScenarioKind> kinds, List<Integer> qos, int rounds) {
        List<Comparison> out = new ArrayList<>();
        if (builds.size() < 2) return out;
        String before = builds.getFirst();
        for (ScenarioKind kind : kinds) {
            if (!kind.gateway()) continue;
            for (int q : qos) {
                for (String after : builds.subList(1, builds.size())) out.add(compare(rows, kind.id(), q, before, after, rounds));
            }
        }
        return out;
    }

    private static Comparison compare(List<ScenarioResult> rows, String scenario, int qos, String before, String after, int rounds) {
        List<Round> judged = new ArrayList<>();
        List<Integer> absent = new ArrayList<>();
        List<Integer> missed = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            ScenarioResult b = Goals.row(rows, scenario + "@" + before, qos, round);
            ScenarioResult a = Goals.row(rows, scenario + "@" + after, qos, round);
            if (b == null || a == null || b.msgsPerSec() <= 0 || b.cpuUsPerMsg() <= 0 || a.cpuUsPerMsg() < 0) {
                absent.add(round);
                continue;
            }
            double thr = a.msgsPerSec() / b.msgsPerSec();
            double cpu = a.cpuUsPerMsg() / b.cpuUsPerMsg();
            boolean ok = holds(thr, cpu);
            judged.add(new Round(round, thr, cpu, ok));
            if (!ok) missed.add(round);
        }
        Double thrMedian = Goals.median(judged.stream().map(Round::throughputRatio).toList());
        Double cpuMedian = Goals.median(judged.stream().map(Round::cpuRatio).toList());
        return new Comparison(scenario, qos, before, after, judged, thrMedian, cpuMedian,
                Goals.status(rounds, judged.size(), absent, missed));
    }
}
