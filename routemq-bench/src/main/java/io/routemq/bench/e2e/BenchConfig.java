package io.routemq.bench.e2e;

import io.routemq.queue.FsyncPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of one bench run (see {@link BenchMain} for the command line).
 *
 * @param broker        {@code auto}, {@code mosquitto}, {@code embedded} or {@code mqtt://host:port}
 * @param scenarios     the scenarios, run in this order
 * @param qos           the QoS levels, each scenario runs at each
 * @param messagesQos0  messages per measured phase at QoS 0 (ignored with a duration)
 * @param messagesQos1  messages per measured phase at QoS 1 and 2 (ignored with a duration)
 * @param httpMessages  at most this many messages per phase in http and forwarder (a request per message, much slower); 0
 *                      for no cap. Not http-batch: capped at 60k, its gateway's HTTP client ran much of the phase before
 *                      the JIT had compiled it (600 requests; 55-75 CPU µs/msg, against 34.5-37 with 300k messages)
 * @param duration      publish for this long instead of a message count, or null
 * @param rate          target publish rate in messages/s over all publishers; 0 for as fast as possible
 * @param publishers    publisher connections
 * @param payloadBytes  payload size (at least 20)
 * @param sites         sites in the topic tree
 * @param devices       devices per site
 * @param jvmWarmup     messages published through the raw scenario at each QoS before the first round, to JIT-compile
 *                      the broker, publishers and client (0 to skip)
 * @param warmup        warm-up messages before each scenario's measured phase; -1 for min({@link #DEFAULT_WARMUP},
 *                      messages)
 * @param out           the results folder
 * @param halfLoad      also measure each scenario at half its measured maximum rate
 * @param idleTimeout   a phase ends when nothing new arrived for this long (the rest counts as lost)
 * @param phaseTimeout  the longest one phase may take
 * @param fsync         the durable queue's fsync policy in the gateway scenarios
 * @param httpBatch     envelopes per request in the http-batch scenario
 * @param queueBatch    envelopes per request in the queue scenario (the stand-in for a discarding sink)
 * @param httpConcurrency HTTP requests in flight: the gateway sink's maxInFlight and the forwarder's limit
 * @param window        unconfirmed publishes per publisher
 * @param maxOutstanding messages published but not yet received, over all publishers (closed loop); 0 for open loop
 * @param rounds        how many times to run the whole scenario list, in the same order each time (raw first); the
 *                      report gives every round
 * @param consumerJvmOptions JVM options of every consumer process (raw, RouteMQ, gateway alike)
 * @param gatewayMiddleware the gateway route's {@code middleware:} list as YAML (e.g. {@code [ { log: { sample: 0 } } ]}),
 *                      or null for none: measures a config route with shipped middleware
 * @param gateways      the gateway builds; each gateway scenario runs once per build in every round, in this order (the
 *                      first is the "before" the others are compared to); by default one, {@code current}
 * @param progress      draw a progress bar on stderr
 * @param commandLine   the command line, for the report
 */
public record BenchConfig(String broker, List<ScenarioKind> scenarios, List<Integer> qos, long messagesQos0, long messagesQos1,
                          long httpMessages, Duration duration, double rate, int publishers, int payloadBytes, int sites, int devices, long jvmWarmup, long warmup,
                          Path out, boolean halfLoad, Duration idleTimeout, Duration phaseTimeout, FsyncPolicy fsync,
                          int httpBatch, int queueBatch, int httpConcurrency, int window, long maxOutstanding, int rounds,
                          List<String> consumerJvmOptions, String gatewayMiddleware, List<GatewayBuild> gateways, boolean progress, String commandLine) {
    /**
     * The most warm-up messages per scenario by default. With min(30k, messages / 4) the consumer processes were still
     * being JIT-compiled in the measured phase: at QoS 1 the raw client took 14.7-17.3 CPU µs/msg and the gateway into
     * HTTP batches 34.5-38 (a third of its HTTP client's samples interpreted); after 200k, 9.7-11.6 and 20.2-20.8.
     */
    static final long DEFAULT_WARMUP = 200_000;


    /**
     * One run of a round: a scenario, the gateway build it runs (null for the other scenarios), and its label in the
     * report: the scenario id, with {@code @<build id>} when there are several builds ({@code http-batch@before}).
     */
    record Run(ScenarioKind kind, GatewayBuild gateway, String label) {
    }

    /** Validates; the messages name the option and what to use instead. */
    public BenchConfig {
        scenarios = List.copyOf(scenarios);
        qos = List.copyOf(qos);
        consumerJvmOptions = List.copyOf(consumerJvmOptions);
        gateways = List.copyOf(gateways);
        if (gateways.isEmpty()) throw new IllegalArgumentException("--gateway: give at least one gateway build, or leave the option out");
        for (int i = 0; i < gateways.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (gateways.get(i).id().equals(gateways.get(j).id())) {
                    throw new IllegalArgumentException("--gateway: the id '" + gateways.get(i).id() + "' is given twice; give each build its own id");
                }
            }
        }
        if (scenarios.isEmpty()) throw new IllegalArgumentException("--scenarios: give at least one scenario");
        if (qos.isEmpty()) throw new IllegalArgumentException("--qos: give at least one QoS (0, 1 or 2)");
        for (int q : qos) if (q < 0 || q > 2) throw new IllegalArgumentException("--qos: " + q + " is not a QoS; use 0, 1 or 2");
        if (duration == null && (messagesQos0 < 1 || messagesQos1 < 1)) {
            throw new IllegalArgumentException("--messages must be at least 1 (or give --duration)");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (httpMessages < 0) throw new IllegalArgumentException("--http-messages must be 0 (no cap) or positive, got " + httpMessages);
        if (rate < 0) throw new IllegalArgumentException("--rate must be 0 (as fast as possible) or positive, got " + rate);
        if (publishers < 1 || publishers > 1000) throw new IllegalArgumentException("--publishers must be 1..1000, got " + publishers);
        if (payloadBytes < Payloads.HEADER) {
            throw new IllegalArgumentException("--payload " + payloadBytes + ": the bench payload needs at least " + Payloads.HEADER
                    + " bytes (phase, publisher, topic, sequence number, publish time); use --payload " + Payloads.HEADER + " or more");
        }
        if (queueBatch < 2) throw new IllegalArgumentException("--queue-batch must be at least 2, got " + queueBatch);
        if (httpConcurrency < 1) throw new IllegalArgumentException("--http-concurrency must be at least 1, got " + httpConcurrency);
        if (httpBatch < 2) throw new IllegalArgumentException("--http-batch must be at least 2, got " + httpBatch);
        if (maxOutstanding < 0) throw new IllegalArgumentException("--max-outstanding must be 0 (open loop) or positive, got " + maxOutstanding);
        if (rounds < 1 || rounds > 20) throw new IllegalArgumentException("--rounds must be 1..20, got " + rounds);
        if (window < 1) throw new IllegalArgumentException("--window must be at least 1, got " + window);
        if ((long) sites * devices > 1_000_000) throw new IllegalArgumentException("--sites x --devices must stay below 1,000,000 topics");
    }

    /** The topic tree. */
    TopicTree tree() {
        return new TopicTree(sites, devices);
    }

    /**
     * The runs of every round, in order: each scenario as given, and each gateway scenario once per gateway build
     * (raw, ..., http-batch@before, http-batch@after).
     */
    List<Run> runs() {
        List<Run> out = new ArrayList<>();
        for (ScenarioKind kind : scenarios) {
            if (!kind.gateway()) out.add(new Run(kind, null, kind.id()));
            else for (GatewayBuild g : gateways) out.add(new Run(kind, g, label(kind, g)));
        }
        return out;
    }

    /** The report's label of a gateway scenario run by a build: the scenario id, with {@code @<id>} when there are several builds. */
    String label(ScenarioKind kind, GatewayBuild build) {
        return gateways.size() == 1 ? kind.id() : kind.id() + "@" + build.id();
    }

    /** The ids of the gateway builds, in order. */
    List<String> gatewayIds() {
        return gateways.stream().map(GatewayBuild::id).toList();
    }

    /** Messages of a measured phase of this scenario at this QoS. */
    long messages(ScenarioKind kind, int q) {
        long m = q == 0 ? messagesQos0 : messagesQos1;
        boolean http = kind == ScenarioKind.HTTP || kind == ScenarioKind.FORWARDER;
        return http && httpMessages > 0 ? Math.min(m, httpMessages) : m;
    }
}
