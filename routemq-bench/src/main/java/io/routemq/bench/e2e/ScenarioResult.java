package io.routemq.bench.e2e;

/**
 * One row of the report: one scenario at one QoS, one load and one round.
 *
 * @param scenario          the scenario id ({@code raw}, {@code router}, ...)
 * @param qos               the QoS of publishers and subscription
 * @param round             the round (1..--rounds) this row was measured in
 * @param load              {@code max} (as fast as possible), {@code rate} (the --rate given) or {@code half} (half the
 *                          measured maximum)
 * @param targetRate        the target publish rate, 0 for as fast as possible
 * @param published         messages the publishers sent in the measured phase
 * @param publishFailed     publishes the client or broker reported as failed
 * @param received          messages received, duplicates included
 * @param lost              published, not failed, never received
 * @param duplicates        received more than once; -1 when the consumer cannot tell (a gateway counting what its
 *                          {@code discard} sink took)
 * @param reordered         received after a later message of the same topic; -1 when the consumer cannot tell
 * @param msgsPerSec        distinct messages received per second, from the first publish to the last receipt
 * @param publishPerSec     publish rate achieved
 * @param ratioToRaw        msgsPerSec over the raw baseline's of the same round, QoS and load; null without one
 * @param cpuRatioToRaw     cpuUsPerMsg over the raw baseline's of the same round, QoS and load; null without one
 * @param p50Ms             publish-to-receipt latency percentiles (wall clock), milliseconds; -1 (all five) when no
 *                          message was seen arriving (the {@code discard} sink drops them)
 * @param p99Ms             99th percentile
 * @param p999Ms            99.9th percentile
 * @param maxMs             maximum
 * @param meanMs            mean
 * @param heapAfterGcMb     the consumer process's heap in use after a full GC at the end of the phase, MB; -1 unknown
 * @param cpuCores          the consumer process's CPU time over the phase's wall time (cores busy)
 * @param cpuUsPerMsg       the consumer process's CPU microseconds per distinct message received
 * @param jitCpuUsPerMsg    the part of {@code cpuUsPerMsg} spent by the consumer's JIT compiler threads (compiling the
 *                          code the phase runs, a cost of warming up rather than of a message); -1 when unknown
 * @param brokerCpuUsPerMsg the broker process's CPU microseconds per message; -1 when unknown (external broker)
 * @param benchCpuUsPerMsg  the bench process's (publishers, HTTP receiver, embedded broker if used) per message
 * @param consumerPid       the process id of the consumer under test (never the bench's own)
 * @param seconds           wall time from the first publish to the last receipt
 * @param loadAvgStart      the system load average (1 min) when the phase started
 * @param loadAvgEnd        ... when it ended
 * @param brokerDropped     messages the embedded broker dropped during the phase, -1 if unknown
 * @param complete          every published message arrived before the idle timeout
 * @param notes             scenario counters and details
 * @param error             why the scenario failed, or null
 */
public record ScenarioResult(String scenario, int qos, int round, String load, double targetRate, long published, long publishFailed,
                             long received, long lost, long duplicates, long reordered, double msgsPerSec, double publishPerSec,
                             Double ratioToRaw, Double cpuRatioToRaw, double p50Ms, double p99Ms, double p999Ms, double maxMs,
                             double meanMs, double heapAfterGcMb, double cpuCores, double cpuUsPerMsg, double jitCpuUsPerMsg, double brokerCpuUsPerMsg,
                             double benchCpuUsPerMsg, long consumerPid, double seconds, double loadAvgStart, double loadAvgEnd, long brokerDropped,
                             boolean complete, String notes, String error) {

    /** A row for a scenario that could not run. */
    static ScenarioResult failed(String scenario, int qos, int round, String load, String error) {
        return new ScenarioResult(scenario, qos, round, load, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, 0, 0, 0, -1, 0, 0, -1, -1, 0, -1,
                0, 0, 0, -1, false, "", error);
    }

    /** This row with the ratios to the baseline. */
    ScenarioResult withRatios(Double ratio, Double cpuRatio) {
        return new ScenarioResult(scenario, qos, round, load, targetRate, published, publishFailed, received, lost, duplicates, reordered,
                msgsPerSec, publishPerSec, ratio, cpuRatio, p50Ms, p99Ms, p999Ms, maxMs, meanMs, heapAfterGcMb, cpuCores, cpuUsPerMsg, jitCpuUsPerMsg,
                brokerCpuUsPerMsg, benchCpuUsPerMsg, consumerPid, seconds, loadAvgStart, loadAvgEnd, brokerDropped, complete, notes, error);
    }

    /** True for a measured row at full load ({@code max} or {@code rate}). */
    boolean full() {
        return error == null && !load.equals("half");
    }
}
