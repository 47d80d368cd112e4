package io.routemq.bench.e2e;

import io.routemq.queue.FsyncPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code routemq bench}: the end-to-end benchmark. Publishes a load to one broker (a private Mosquitto by default)
 * and measures, round after round, each consumer under test in its own JVM: the raw HiveMQ client subscriber (the
 * baseline), RouteMQ's framework path, the gateway, and the simplest lossless forwarder. It reports throughput, CPU
 * per message of each process (from {@code /proc}), their ratios to the raw client per round with the median,
 * latency percentiles, loss, duplicates, reordering and heap, and judges issue 11's targets on every round. Writes
 * results.md, results.json, PNG plots and HdrHistogram files into the results folder. It is never part of the test
 * suite (only a smoke run with tiny counts).
 * <pre>
 * routemq-bench/run-e2e.sh --qos 0,1 --messages 200k --qos1-messages 100k --http-messages 20k --rounds 2
 * </pre>
 */
@Command(name = "routemq bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "End-to-end benchmark: load generator, scenarios side by side on one broker, report and plots.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--broker", defaultValue = "auto", paramLabel = "auto|mosquitto|embedded|mqtt://host:port",
            description = "The broker: auto (default: a private Mosquitto on a free port when the mosquitto binary exists, else "
                    + "embedded), mosquitto, embedded (HiveMQ CE in the bench process) or an external one, e.g. mqtt://127.0.0.1:1883.")
    String broker;

    @Option(names = "--scenarios", defaultValue = "all", split = ",", paramLabel = "LIST",
            description = "Scenarios to run, in order (raw is always run, first): raw, router, router-nb, router10k, queue, forwarder, http, "
                    + "http-batch, or all (default).")
    List<String> scenarios;

    @Option(names = "--qos", defaultValue = "0,1", split = ",", paramLabel = "LIST", description = "QoS levels (default 0,1).")
    List<Integer> qos;

    @Option(names = "--messages", defaultValue = "100k", paramLabel = "N",
            description = "Messages per measured phase (suffix k or m allowed; default 100k).")
    String messages;

    @Option(names = "--qos1-messages", paramLabel = "N", description = "Messages per measured phase at QoS 1 and 2 (default: --messages).")
    String qos1Messages;

    @Option(names = "--http-messages", defaultValue = "0", paramLabel = "N",
            description = "Cap on messages per phase in http and forwarder, a request per message and much slower (default 0: no cap).")
    String httpMessages;

    @Option(names = "--duration", paramLabel = "TIME", description = "Publish for this long per phase instead of a count, e.g. 20s.")
    String duration;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "MSG/S", description = "Target publish rate over all publishers; 0 = as fast as possible.")
    double rate;

    @Option(names = "--publishers", defaultValue = "4", description = "Publisher connections (default 4).")
    int publishers;

    @Option(names = "--payload", defaultValue = "64", paramLabel = "BYTES", description = "Payload size, at least 20 (default 64).")
    int payload;

    @Option(names = "--sites", defaultValue = "10", description = "Sites in the topic tree (default 10).")
    int sites;

    @Option(names = "--devices", defaultValue = "100", description = "Devices per site (default 100): topics = sites x devices.")
    int devices;

    @Option(names = "--jvm-warmup", defaultValue = "100k", paramLabel = "N",
            description = "Messages through the raw scenario at each QoS before the first round, to JIT-compile the "
                    + "publishers (default 100k; 0 to skip). Each consumer process warms up with --warmup.")
    String jvmWarmup;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up messages per scenario, in its own process before each measured phase (default min(200k, messages)).")
    String warmup;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default results/bench/<UTC stamp>).")
    Path out;

    @Option(names = "--half-load-latency", description = "Also run each scenario at half its measured max rate, for the latency figure.")
    boolean halfLoad;

    @Option(names = "--idle-timeout", defaultValue = "5s", paramLabel = "TIME",
            description = "End a phase when nothing arrived for this long; the rest counts as lost (default 5s).")
    String idleTimeout;

    @Option(names = "--phase-timeout", defaultValue = "10m", paramLabel = "TIME", description = "Longest time for one phase (default 10m).")
    String phaseTimeout;

    @Option(names = "--fsync", defaultValue = "interval", paramLabel = "always|never|interval|<interval>",
            description = "The gateway's queue fsync policy (default interval: fsync every 10ms, the gateway's default).")
    String fsync;

    @Option(names = "--http-batch", defaultValue = "100", description = "Envelopes per request in http-batch (default 100).")
    int httpBatch;

    @Option(names = "--queue-batch", defaultValue = "500",
            description = "Envelopes per request in queue, whose sink stands in for a discarding one (default 500).")
    int queueBatch;

    @Option(names = "--http-concurrency", defaultValue = "64",
            description = "HTTP requests in flight: the gateway sink's maxInFlight and the forwarder's limit (default 64).")
    int httpConcurrency;

    @Option(names = "--consumer-jvm-opts", defaultValue = "-Xms1g -Xmx1g -XX:+UseG1GC", paramLabel = "OPTIONS",
            description = "JVM options of every consumer process, raw, RouteMQ and gateway alike (default: -Xms1g -Xmx1g -XX:+UseG1GC).")
    String consumerJvmOpts;

    @Option(names = "--gateway", paramLabel = "ID=CLASSPATH",
            description = "A gateway build to measure, repeatable: queue, http and http-batch run once per build within every round, "
                    + "in this order, as rows <scenario>@<ID>, and the report compares each build to the first (before/after). "
                    + "CLASSPATH is a build's routemq-server/target/routemq.jar (routemq-bench/build-before.sh <rev> builds one; "
                    + "run-e2e.sh --before <rev> does both). Default: one build, current, the bench's own class path.")
    List<String> gateways;

    @Option(names = "--gateway-middleware", paramLabel = "YAML",
            description = "The gateway scenarios' route gets this middleware list, as YAML, e.g. "
                    + "'[ { filter: { field: topic, exists: true } } ]' (docs/config.md). Default: none.")
    String gatewayMiddleware;

    @Option(names = "--window", defaultValue = "1000", description = "Unconfirmed publishes per publisher (default 1000).")
    int window;

    @Option(names = "--max-outstanding", defaultValue = "2000", paramLabel = "N",
            description = "Closed loop: at most N messages published and not yet received (default 2000); 0 = open loop, "
                    + "publishers flood the broker.")
    String maxOutstanding;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Run the scenario list this many times, raw first each time (default 2). Every round is reported; "
                    + "a goal is met only when every round meets it.")
    int rounds;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    private String[] args = new String[0];
    private BenchReport report;

    /** Runs the bench from the command line and exits with 0, 1 (a scenario failed) or 2 (bad options). */
    public static void main(String[] args) {
        setUp();
        // Ctrl-C: stop what this process started (the consumer JVMs, the private Mosquitto), not only itself
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroy)));
        System.exit(commandLine(args).execute(args));
    }

    /**
     * Runs the bench in this JVM and returns the report (for the smoke test and for tools).
     *
     * @throws IllegalArgumentException for invalid options
     */
    public static BenchReport run(String... args) throws Exception {
        setUp();
        BenchMain main = new BenchMain();
        main.args = args.clone();
        new CommandLine(main).parseArgs(args);
        main.report = new BenchRunner(main.config(), System.err).run();
        return main.report;
    }

    /** Headless plots; our Logback config (HiveMQ CE's jar carries a logback.xml of its own). */
    private static void setUp() {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "routemq-bench-logback.xml");
        }
    }

    private static CommandLine commandLine(String[] args) {
        BenchMain main = new BenchMain();
        main.args = args.clone();
        CommandLine cl = new CommandLine(main);
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                c.getErr().println("routemq bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public Integer call() throws Exception {
        report = new BenchRunner(config(), System.err).run();
        PrintStream o = System.out;
        o.println();
        o.println(report.markdown());
        o.println("results: " + report.out().toAbsolutePath());
        return report.results().stream().anyMatch(r -> r.error() != null) ? 1 : 0;
    }

    /** The configuration a command line gives (for tests). */
    static BenchConfig parse(String... args) {
        BenchMain main = new BenchMain();
        main.args = args.clone();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    BenchConfig config() {
        List<ScenarioKind> kinds = new ArrayList<>();
        for (String s : scenarios) {
            if (s.strip().equalsIgnoreCase("all")) kinds.addAll(List.of(ScenarioKind.values()));
            else kinds.add(ScenarioKind.parse(s));
        }
        // raw first, once: every ratio is to the raw row of the same round
        kinds = new ArrayList<>(new java.util.LinkedHashSet<>(kinds));
        kinds.remove(ScenarioKind.RAW);
        kinds.addFirst(ScenarioKind.RAW);
        List<String> jvmOptions = consumerJvmOpts.isBlank() ? List.of() : List.of(consumerJvmOpts.strip().split("\\s+"));
        long m0 = count("--messages", messages);
        long m1 = qos1Messages == null ? m0 : count("--qos1-messages", qos1Messages);
        Path dir = out != null ? out : Path.of("results", "bench",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")));
        return new BenchConfig(broker, kinds, qos, m0, m1, count("--http-messages", httpMessages), duration == null ? null : duration("--duration", duration), rate,
                publishers, payload, sites, devices, count("--jvm-warmup", jvmWarmup), warmup == null ? -1 : count("--warmup", warmup), dir, halfLoad,
                duration("--idle-timeout", idleTimeout), duration("--phase-timeout", phaseTimeout), fsyncPolicy(fsync), httpBatch,
                queueBatch, httpConcurrency, window, count("--max-outstanding", maxOutstanding), rounds, jvmOptions,
                gatewayMiddleware == null || gatewayMiddleware.isBlank() ? null : gatewayMiddleware.strip(), gatewayBuilds(), !noProgress, "routemq bench " + String.join(" ", args));
    }

    private List<GatewayBuild> gatewayBuilds() {
        if (gateways == null || gateways.isEmpty()) return List.of(GatewayBuild.current());
        return gateways.stream().map(GatewayBuild::parse).toList();
    }

    /** Parses 100, 100k, 2m, 100_000. */
    static long count(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "").replace(",", "");
        long mult = 1;
        if (t.endsWith("k")) {
            mult = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t) * mult;
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a count; write e.g. 200000, 200k or 1m");
        }
    }

    /** Parses 500ms, 20s, 2m, 1h. */
    static Duration duration(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            if (t.endsWith("m")) return Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
            if (t.endsWith("h")) return Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3600));
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not a duration; write e.g. 500ms, 20s or 2m");
    }

    static FsyncPolicy fsyncPolicy(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "always" -> FsyncPolicy.always();
            case "never" -> FsyncPolicy.never();
            case "interval" -> FsyncPolicy.interval(Duration.ofMillis(10));
            default -> {
                try {
                    yield FsyncPolicy.interval(duration("--fsync", t));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--fsync '" + text + "': use always, never or an interval such as 10ms");
                }
            }
        };
    }
}
