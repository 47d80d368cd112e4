package io.routemq.bench.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one bench run, as written to its results folder.
 *
 * @param config      the options
 * @param environment machine, JDK, broker, load average
 * @param results     one row per round, scenario, QoS and load
 * @param goals       the targets of issue 11, judged on every round
 * @param beforeAfter each later gateway build against the first, per gateway scenario and QoS (empty with one build)
 * @param out         the results folder (results.md, results.json, *.png, *.hgrm, logs/)
 * @param markdown    the Markdown report (also in results.md)
 */
public record BenchReport(BenchConfig config, Map<String, Object> environment, List<ScenarioResult> results, List<Goals.Goal> goals,
                          List<BeforeAfter.Comparison> beforeAfter, Path out, String markdown) {

    /** The row of a scenario at a QoS, load and round, or null. */
    public ScenarioResult find(String scenario, int qos, String load, int round) {
        for (ScenarioResult r : results) {
            if (r.scenario().equals(scenario) && r.qos() == qos && r.load().equals(load) && r.round() == round) return r;
        }
        return null;
    }
}
