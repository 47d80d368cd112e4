package io.routemq.bench.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one bench run, as written to its results folder.
 *
 * @param config      the options
 * @param environment machine, JDK, broker, load average
 * @param results     one row per scenario, QoS and load
 * @param out         the results folder (results.md, results.json, *.png, *.hgrm)
 * @param markdown    the Markdown report (also in results.md)
 */
public record BenchReport(BenchConfig config, Map<String, Object> environment, List<ScenarioResult> results, Path out,
                          String markdown) {

    /** The row of a scenario at a QoS and load, or null. */
    public ScenarioResult find(String scenario, int qos, String load) {
        for (ScenarioResult r : results) if (r.scenario().equals(scenario) && r.qos() == qos && r.load().equals(load)) return r;
        return null;
    }
}
