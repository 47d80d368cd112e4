package io.routemq.bench.e2e;

import java.nio.file.Path;

/**
 * One running consumer under test, in its own process, subscribed and ready when {@link #start} returns. The bench
 * reads its CPU from {@code /proc/<pid>/stat} and its receipts (from the consumer itself, or from the HTTP receiver
 * the consumer forwards to) per phase.
 */
interface Scenario extends AutoCloseable {

    /** A line for the report: what runs and how it is configured. */
    String describe();

    /** The process id of the consumer under test. */
    long pid();

    /** Starts a phase: new receipts for phase {@code phase}; the consumer's heap is collected first. */
    void begin(byte phase) throws InterruptedException;

    /** Distinct messages of the current phase received so far (read while the phase runs). */
    long distinct();

    /** What the current phase received (call once, at its end). */
    Receipts.Summary finish() throws InterruptedException;

    /** The consumer's heap in use after a full GC, in bytes, or -1 when the bench cannot ask (the gateway). */
    long heapAfterGc() throws InterruptedException;

    /** Extra counters for the report since the previous call, or empty. */
    default String notes() {
        return "";
    }

    /** Stops the consumer (gracefully, within about 30 s). */
    @Override
    void close();

    /**
     * Starts the scenario's consumer process and waits until it is subscribed; a gateway scenario runs the gateway
     * build {@code gateway} (null: the bench's own class path).
     */
    static Scenario start(ScenarioKind kind, GatewayBuild gateway, BrokerTarget broker, int qos, BenchConfig config, Path workDir, String tag)
            throws Exception {
        return switch (kind) {
            case RAW -> ChildScenario.client("raw", 1, broker, qos, config, workDir, tag);
            case ROUTER -> ChildScenario.client("router", 1, broker, qos, config, workDir, tag);
            case ROUTER_10K -> ChildScenario.client("router", 10_000, broker, qos, config, workDir, tag);
            case ROUTER_NB -> ChildScenario.client("router-nb", 1, broker, qos, config, workDir, tag);
            case FORWARDER -> ChildScenario.forwarder(broker, qos, config, workDir, tag);
            case QUEUE, HTTP, HTTP_BATCH -> ChildScenario.gateway(kind, gateway == null ? GatewayBuild.current() : gateway, broker, qos, config, workDir, tag);
        };
    }
}
