package io.routemq.bench.e2e;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes results.md, results.json and the plots into the results folder. */
final class Report {
    private Report() {
    }

    static BenchReport write(BenchConfig config, Map<String, Object> env, List<ScenarioResult> results,
                             Map<String, String> descriptions) throws IOException {
        List<Goals.Goal> goals = goals(config, results);
        List<BeforeAfter.Comparison> beforeAfter = beforeAfter(config, results);
        String md = markdown(config, env, results, goals, descriptions);
        Files.writeString(config.out().resolve("results.md"), md, StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("finishedAt", Instant.now().toString());
        json.put("command", config.commandLine());
        json.put("config", configMap(config));
        json.put("environment", env);
        json.put("scenarios", descriptions);
        json.put("results", results);
        json.put("ratios", ratios(results));
        json.put("goals", goals);
        json.put("beforeAfter", beforeAfter);
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(config.out().resolve("results.json"), mapper.writeValueAsString(json), StandardCharsets.UTF_8);
        Charts.write(config.out(), results);
        return new BenchReport(config, env, results, goals, beforeAfter, config.out(), md);
    }

    /** Issue 11's goals; with several gateway builds the gateway goals judge the last one's rows. */
    static List<Goals.Goal> goals(BenchConfig config, List<ScenarioResult> results) {
        return Goals.evaluate(results, config.rounds(), config.gateways().size() > 1 ? config.gateways().getLast().id() : null);
    }

    /** Each later gateway build against the first, per gateway scenario and QoS; empty with one build. */
    static List<BeforeAfter.Comparison> beforeAfter(BenchConfig config, List<ScenarioResult> results) {
        return BeforeAfter.evaluate(results, config.gatewayIds(), config.scenarios(), config.qos(), config.rounds());
    }

    private static Map<String, Object> configMap(BenchConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("broker", c.broker());
        m.put("scenarios", c.scenarios().stream().map(ScenarioKind::id).toList());
        m.put("qos", c.qos());
        m.put("messagesQos0", c.messagesQos0());
        m.put("messagesQos1", c.messagesQos1());
        m.put("httpMessages", c.httpMessages());
        m.put("duration", c.duration() == null ? null : c.duration().toString());
        m.put("rate", c.rate());
        m.put("publishers", c.publishers());
        m.put("payloadBytes", c.payloadBytes());
        m.put("topics", c.sites() * c.devices());
        m.put("jvmWarmup", c.jvmWarmup());
        m.put("warmup", c.warmup());
        m.put("halfLoad", c.halfLoad());
        m.put("fsync", c.fsync().toString());
        m.put("httpBatch", c.httpBatch());
        m.put("queueBatch", c.queueBatch());
        m.put("httpConcurrency", c.httpConcurrency());
        m.put("consumerJvmOptions", c.consumerJvmOptions());
        m.put("gatewayMiddleware", c.gatewayMiddleware());
        m.put("window", c.window());
        m.put("maxOutstanding", c.maxOutstanding());
        m.put("rounds", c.rounds());
        m.put("gateways", c.gateways());
        return m;
    }

    static String markdown(BenchConfig c, Map<String, Object> env, List<ScenarioResult> results, List<Goals.Goal> goals,
                           Map<String, String> descriptions) {
        StringBuilder b = new StringBuilder();
        b.append("# RouteMQ end-to-end bench\n\n");
        b.append("Command: `").append(c.commandLine()).append("`\n\n");
        b.append("Machine: ").append(env.get("cpus")).append(" CPUs (").append(env.get("cpuModel")).append("), ")
                .append(env.get("jdk")).append("; load average ")
                .append(env.get("loadAverageAtStart")).append(" at start, ").append(env.get("loadAverageAtEnd")).append(" at end.\n\n");
        b.append("Broker: ").append(env.get("broker")).append(".\n\nEach consumer under test runs in its own JVM (")
                .append(String.join(" ", c.consumerJvmOptions())).append("); the publishers")
                .append(c.scenarios().stream().anyMatch(k -> k == ScenarioKind.QUEUE || k == ScenarioKind.HTTP || k == ScenarioKind.HTTP_BATCH
                        || k == ScenarioKind.FORWARDER) ? " and the HTTP receiver" : "")
                .append(" run in the bench process. CPU is each process's user + system time over the measured window (/proc/<pid>/stat), ")
                .append("per distinct message received; \"of it JIT\" is the part the consumer's C1/C2 compiler threads used in that window ")
                .append("(/proc/<pid>/task/<tid>/stat: compiling what the phase runs, a warm-up cost that a long-running process does not pay per message). Load: ").append(c.publishers()).append(" publishers, ")
                .append(c.payloadBytes()).append(" B payloads, ").append(c.sites() * c.devices()).append(" topics `site/s{0..")
                .append(c.sites() - 1).append("}/device/d{0..").append(c.devices() - 1).append("}/telemetry`, ");
        if (c.duration() != null) b.append(c.duration().toSeconds()).append(" s per phase");
        else b.append(String.format(Locale.ROOT, "%,d messages per phase at QoS 0, %,d at QoS 1/2", c.messagesQos0(), c.messagesQos1()))
                .append(c.httpMessages() > 0 ? String.format(Locale.ROOT, " (http, forwarder: at most %,d)", c.httpMessages()) : "");
        b.append(c.rate() > 0 ? String.format(Locale.ROOT, ", target rate %,.0f msg/s", c.rate()) : ", as fast as possible")
                .append(c.maxOutstanding() > 0 ? String.format(Locale.ROOT, " with at most %,d messages outstanding (closed loop)", c.maxOutstanding())
                        : " (open loop)")
                .append(". ").append(c.rounds()).append(c.rounds() == 1 ? " round" : " rounds")
                .append(", each running every scenario in the same order, raw first")
                .append(c.gateways().size() > 1 && c.scenarios().stream().anyMatch(ScenarioKind::gateway)
                        ? ", and each gateway scenario once per gateway build, the builds next to each other ("
                        + String.join(", ", c.gateways().stream().map(GatewayBuild::describe).toList()) + ")" : "")
                .append(".\n\n");
        b.append("**Every round** (vs raw: the raw row of the same round and QoS)\n\n");
        table(b, results);
        b.append("\n**What the rounds show** (ratio to raw per round, and the median; per message CPU of the consumer process)\n\n");
        for (String line : ratioLines(results)) b.append("- ").append(line).append('\n');
        List<BeforeAfter.Comparison> beforeAfter = beforeAfter(c, results);
        if (!beforeAfter.isEmpty()) {
            b.append("\n**Before and after** (each gateway build against the first, ").append(c.gateways().getFirst().id())
                    .append(", in the same round: msgs/s and the gateway process's CPU µs/msg; it holds only when every round holds)\n\n");
            for (BeforeAfter.Comparison cmp : beforeAfter) b.append("- ").append(cmp.line()).append('\n');
        }
        b.append("\n**Goals** (issue 11; a goal is met only when every round meets it)\n\n");
        for (Goals.Goal g : goals) b.append("- ").append(g.line()).append('\n');
        rest(b, results, descriptions);
        return b.toString();
    }

    private static void table(StringBuilder b, List<ScenarioResult> results) {
        b.append("| round | scenario | QoS | load | msgs/s | vs raw | CPU µs/msg | CPU vs raw | of it JIT µs/msg | cores | broker µs/msg | bench µs/msg "
                + "| p50 ms | p99 ms | p99.9 ms | lost | dup | reordered | heap after GC MB |\n");
        b.append("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult r : results) {
            b.append("| ").append(r.round()).append(' ');
            if (r.error() != null) {
                b.append("| ").append(r.scenario()).append(" | ").append(r.qos()).append(" | ").append(r.load())
                        .append(" | failed: ").append(r.error().replace('|', '/')).append(" |||||||||||||||\n");
                continue;
            }
            String load = r.load().equals("half") ? String.format(Locale.ROOT, "half (%,.0f/s)", r.targetRate())
                    : r.load().equals("rate") ? String.format(Locale.ROOT, "rate %,.0f/s", r.targetRate()) : "max";
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %s | %s | %s | %s | %.2f | %s | %s | %s | %s | %s | %,d | %s | %s | %s |%n",
                    r.scenario(), r.qos(), load, r.msgsPerSec(), ratio(r.ratioToRaw()), cpu(r.cpuUsPerMsg()), ratio(r.cpuRatioToRaw()),
                    cpu(r.jitCpuUsPerMsg()), r.cpuCores(), cpu(r.brokerCpuUsPerMsg()), cpu(r.benchCpuUsPerMsg()), ms(r.p50Ms()), ms(r.p99Ms()), ms(r.p999Ms()), r.lost(),
                    count(r.duplicates()), count(r.reordered()), r.heapAfterGcMb() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", r.heapAfterGcMb())));
        }
    }

    private static String ratio(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2fx", v);
    }

    /** Milliseconds, or n/a where no latency was measured (-1). */
    private static String ms(double v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A count, or n/a where the consumer cannot tell (-1). */
    private static String count(long v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", v);
    }

    private static String cpu(double v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Per scenario (not raw) and QoS at full load: each round's throughput and CPU ratio to raw, and their medians. */
    static List<Map<String, Object>> ratios(List<ScenarioResult> results) {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (ScenarioResult r : results) if (!r.scenario().equals("raw")) keys.add(r.scenario() + " " + r.qos());
        for (String key : keys) {
            String scenario = key.substring(0, key.lastIndexOf(' '));
            int qos = Integer.parseInt(key.substring(key.lastIndexOf(' ') + 1));
            List<Double> thr = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Integer> rounds = new ArrayList<>();
            for (ScenarioResult r : results) {
                if (!r.scenario().equals(scenario) || r.qos() != qos || !r.full()) continue;
                rounds.add(r.round());
                if (r.ratioToRaw() != null) thr.add(r.ratioToRaw());
                if (r.cpuRatioToRaw() != null) cpu.add(r.cpuRatioToRaw());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", scenario);
            m.put("qos", qos);
            m.put("rounds", rounds);
            m.put("throughputRatios", thr);
            m.put("throughputRatioMedian", Goals.median(thr));
            m.put("cpuRatios", cpu);
            m.put("cpuRatioMedian", Goals.median(cpu));
            out.add(m);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ratioLines(List<ScenarioResult> results) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> m : ratios(results)) {
            List<Double> thr = (List<Double>) m.get("throughputRatios");
            List<Double> cpu = (List<Double>) m.get("cpuRatios");
            if (thr.isEmpty() && cpu.isEmpty()) continue;
            out.add(m.get("scenario") + " QoS " + m.get("qos") + ": throughput " + list(thr) + " (median " + ratio((Double) m.get("throughputRatioMedian"))
                    + "); CPU µs/msg " + list(cpu) + " (median " + ratio((Double) m.get("cpuRatioMedian")) + ")");
        }
        if (out.isEmpty()) out.add("no ratios: the run has no raw row next to another scenario");
        return out;
    }

    private static String list(List<Double> v) {
        return v.stream().map(Report::ratio).collect(Collectors.joining(", "));
    }

    private static void rest(StringBuilder b, List<ScenarioResult> results, Map<String, String> descriptions) {
        b.append("\n**Scenarios**\n\n");
        for (Map.Entry<String, String> e : descriptions.entrySet()) b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        List<String> notes = new ArrayList<>();
        for (ScenarioResult r : results) {
            String n = r.notes() == null ? "" : r.notes();
            if (!r.complete() && r.error() == null) n = (n.isEmpty() ? "" : n + "; ") + "incomplete: stopped after the idle timeout";
            if (r.brokerDropped() > 0) n = (n.isEmpty() ? "" : n + "; ") + "broker dropped " + r.brokerDropped();
            if (r.publishFailed() > 0) n = (n.isEmpty() ? "" : n + "; ") + r.publishFailed() + " publishes failed";
            if (!n.isEmpty()) notes.add(r.scenario() + " qos " + r.qos() + " " + r.load() + " (round " + r.round() + "): " + n);
        }
        if (!notes.isEmpty()) {
            b.append("\n**Notes**\n\n");
            for (String n : notes) b.append("- ").append(n).append('\n');
        }
        b.append("\nFiles: results.json, throughput.png, cpu.png, latency.png")
                .append(results.stream().anyMatch(r -> r.load().equals("half")) ? ", latency-half-load.png" : "")
                .append(" (every round), latency-<scenario>-qos<q>-<load>-r<round>.hgrm (HdrHistogram percentile distributions, ms), ")
                .append("logs/ (each consumer's output; the gateway configs).\n");
    }

    static String oneLine(ScenarioResult r) {
        if (r.error() != null) return r.scenario() + " qos " + r.qos() + ": failed: " + r.error();
        return String.format(Locale.ROOT, "%s qos %d %s round %d: %,.0f msg/s, consumer %s µs/msg (JIT %s), p50 %s ms, p99 %s ms, lost %,d, dup %s",
                r.scenario(), r.qos(), r.load(), r.round(), r.msgsPerSec(), cpu(r.cpuUsPerMsg()), cpu(r.jitCpuUsPerMsg()), ms(r.p50Ms()), ms(r.p99Ms()), r.lost(),
                count(r.duplicates()));
    }
}
