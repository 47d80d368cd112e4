package io.routemq.bench.e2e;

/**
 * One row of the report: one scenario at one QoS and one load.
 *
 * @param scenario       the scenario id ({@code raw}, {@code router}, ...)
 * @param qos            the QoS of publishers and subscription
 * @param round          the round (1..--rounds) this row was measured in
 * @param load           {@code max} (as fast as possible), {@code rate} (the --rate given) or {@code half} (half the
 *                       measured maximum)
 * @param targetRate     the target publish rate, 0 for as fast as possible
 * @param published      messages the publishers sent in the measured phase
 * @param publishFailed  publishes the client or broker reported as failed
 * @param received       messages received, duplicates included
 * @param lost           published, not failed, never received
 * @param duplicates     received more than once
 * @param reordered      received after a later message of the same topic
 * @param msgsPerSec     distinct messages received per second, from the first publish to the last receipt
 * @param publishPerSec  publish rate achieved
 * @param ratioToRaw     msgsPerSec over the raw baseline's at the same QoS and load {@code max}; null without one
 * @param p50Ms          publish-to-handler latency percentiles, milliseconds
 * @param p99Ms          99th percentile
 * @param p999Ms         99.9th percentile
 * @param maxMs          maximum
 * @param meanMs         mean
 * @param heapAfterGcMb  heap in use after a full GC at the end of the phase, whole JVM (broker, publishers included), MB
 * @param cpuCores       process CPU time over wall time during the phase (cores busy; the whole JVM)
 * @param cpuUsPerMsg    process CPU microseconds per message received (whole JVM)
 * @param gcCount        collections during the phase
 * @param gcMs           collection time during the phase
 * @param seconds        wall time from the first publish to the last receipt
 * @param loadAvgStart   the system load average (1 min) when the phase started
 * @param loadAvgEnd     ... when it ended
 * @param brokerDropped  messages the embedded broker dropped during the phase, -1 if unknown
 * @param complete       every published message arrived before the idle timeout
 * @param notes          scenario counters and details
 * @param error          why the scenario failed, or null
 */
public record ScenarioResult(String scenario, int qos, int round, String load, double targetRate, long published, long publishFailed,
                             long received, long lost, long duplicates, long reordered, double msgsPerSec, double publishPerSec,
                             Double ratioToRaw, double p50Ms, double p99Ms, double p999Ms, double maxMs, double meanMs,
                             double heapAfterGcMb, double cpuCores, double cpuUsPerMsg, long gcCount, long gcMs, double seconds,
                             double loadAvgStart, double loadAvgEnd, long brokerDropped, boolean complete, String notes, String error) {

    /** A row for a scenario that could not run. */
    static ScenarioResult failed(String scenario, int qos, int round, String load, String error) {
        return new ScenarioResult(scenario, qos, round, load, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                -1, false, "", error);
    }

    /** This row with the ratio to the baseline. */
    ScenarioResult withRatio(Double ratio) {
        return new ScenarioResult(scenario, qos, round, load, targetRate, published, publishFailed, received, lost, duplicates, reordered,
                msgsPerSec, publishPerSec, ratio, p50Ms, p99Ms, p999Ms, maxMs, meanMs, heapAfterGcMb, cpuCores, cpuUsPerMsg,
                gcCount, gcMs, seconds, loadAvgStart, loadAvgEnd, brokerDropped, complete, notes, error);
    }
}
