package io.routemq.bench.e2e;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The report judges every round: the run (router 34.2% of raw, then 186.1%) must not read as a pass. */
class GoalsTest {

    /** A measured row at full load with these figures (the other fields fixed). */
    static ScenarioResult row(String scenario, int qos, int round, double msgsPerSec, double cpuUs, double heapMb) {
        return new ScenarioResult(scenario, qos, round, "max", 0, 1000, 0, 1000, 0, 0, 0, msgsPerSec, msgsPerSec, null, null, 1, 2, 3, 4,
                1, heapMb, 1, cpuUs, 0, 5, 5, 4242, 1, 0, 0, -1, true, "", null);
    }

    @Test
    void aGoalIsMetOnlyWhenEveryRoundMeetsIt() {
        List<ScenarioResult> rows = BenchRunner.withRatios(List.of(
                row("raw", 0, 1, 100_000, 10, 20), row("router", 0, 1, 34_200, 12, 21),
                row("raw", 0, 2, 50_000, 10, 20), row("router", 0, 2, 93_050, 12, 21)));

        assertThat(Goals.row(rows, "router", 0, 1).ratioToRaw()).isCloseTo(0.342, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Goals.row(rows, "router", 0, 2).ratioToRaw()).isCloseTo(1.861, org.assertj.core.data.Offset.offset(1e-9));
        Goals.Goal g = Goals.evaluate(rows, 2).getFirst();
        assertThat(g.status()).isEqualTo("MISSED in round(s) [1]");
        assertThat(g.rounds()).containsExactly("round 1 0.34x throughput, 1.20x CPU (missed)", "round 2 1.86x throughput, 1.20x CPU");
        @SuppressWarnings("unchecked")
        List<Double> medians = Report.ratios(rows).stream().filter(m -> m.get("scenario").equals("router"))
                .map(m -> (Double) m.get("throughputRatioMedian")).toList();
        assertThat(medians).singleElement().satisfies(m -> assertThat(m).isCloseTo(1.1015, org.assertj.core.data.Offset.offset(1e-9)));
        String md = Report.markdown(BenchMain.parse("--out", "unused"), new java.util.HashMap<>(), rows, Goals.evaluate(rows, 2),
                new java.util.LinkedHashMap<>());
        assertThat(md).contains("router QoS 0: throughput 0.34x, 1.86x (median 1.10x)").doesNotContain("PASS");
    }

    @Test
    void theNonBlockingFrameworkPathIsJudgedBesideTheDefaultOneWhenTheRunHasIt() {
        List<ScenarioResult> rows = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            rows.add(row("raw", 0, round, 100_000, 5, 20));
            rows.add(row("router", 0, round, 85_000, 8, 21));
            rows.add(row("router-nb", 0, round, 95_000, 6, 21));
        }
        rows = BenchRunner.withRatios(rows);
        List<Goals.Goal> goals = Goals.evaluate(rows, 2);
        assertThat(goals.get(0).target()).startsWith("framework path, QoS 0");
        assertThat(goals.get(0).status()).isEqualTo("MISSED in round(s) [1, 2]");
        assertThat(goals.get(2).target()).startsWith("framework path, non-blocking route, QoS 0");
        assertThat(goals.get(2).rounds()).containsExactly("round 1 0.95x throughput, 1.20x CPU", "round 2 0.95x throughput, 1.20x CPU");
        assertThat(goals.get(2).status()).isEqualTo("MET in every round");
        assertThat(goals.get(3).status()).as("no QoS 1 rows").startsWith("NOT MEASURED");
        assertThat(Goals.evaluate(rows.stream().filter(r -> !r.scenario().equals("router-nb")).toList(), 2))
                .as("a run without it has no goal for it").noneMatch(g -> g.target().contains("non-blocking"));
    }

    @Test
    void everyRoundMeetingItIsMetAndOneRoundIsNotJudged() {
        List<ScenarioResult> rows = new ArrayList<>();
        for (int round = 1; round <= 2; round++) {
            rows.add(row("raw", 1, round, 30_000, 40, 20));
            rows.add(row("router", 1, round, 29_000, 44, 22));
            rows.add(row("router10k", 1, round, 28_000, 45, 35));
            rows.add(row("forwarder", 1, round, 2_000, 600, 20));
            rows.add(row("http", 1, round, 2_200, 400, -1));
        }
        rows = BenchRunner.withRatios(rows);
        List<Goals.Goal> goals = Goals.evaluate(rows, 2);
        assertThat(goals.get(0).status()).startsWith("NOT MEASURED");
        assertThat(goals.get(1).status()).isEqualTo("MET in every round");
        assertThat(goals.get(4).rounds()).contains("round 1 0.67x (400.0 vs 600.0 µs)");
        assertThat(goals.get(4).status()).isEqualTo("MET in every round");
        assertThat(goals.get(5).status()).isEqualTo("MISSED in round(s) [1, 2]");
        assertThat(goals.get(5).rounds().getFirst()).contains("+15.0 MB");
        assertThat(Goals.evaluate(rows.stream().filter(r -> r.round() == 1).toList(), 1).get(1).status()).startsWith("NOT JUDGED");
    }

    @Test
    void cpuTimeIsReadFromProcStat() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 100 1000 200";
        assertThat(ProcStat.parse(stat)).isEqualTo(1234 + 567);
        assertThat(ProcStat.cpuNanos(ProcessHandle.current().pid())).isPositive();
        assertThat(ProcStat.cpuNanos(-1)).isEqualTo(-1);
    }

    @Test
    void theJitCompilersCpuIsReadPerThreadAndNeverOvercounted() {
        Map<Long, Long> jit = ProcStat.jitThreads(ProcessHandle.current().pid());
        assertThat(jit).as("this JVM's C1/C2 compiler threads, from /proc/<pid>/task").isNotEmpty();
        assertThat(jit.values().stream().mapToLong(Long::longValue).sum()).as("compiling the test's code took CPU").isPositive();
        assertThat(ProcStat.jitThreads(-1)).isEmpty();

        // thread 1 went on (+30), thread 2 ended (not counted), thread 3 started in between (all of its 7)
        assertThat(ProcStat.jitDelta(Map.of(1L, 100L, 2L, 50L), Map.of(1L, 130L, 3L, 7L))).isEqualTo(37);
        assertThat(ProcStat.jitDelta(Map.of(), Map.of())).isZero();
    }
}
