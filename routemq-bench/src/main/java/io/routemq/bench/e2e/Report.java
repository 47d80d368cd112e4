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
import java.util.Locale;
import java.util.Map;

/** Writes results.md, results.json and the plots into the results folder. */
final class Report {
    private Report() {
    }

    static BenchReport write(BenchConfig config, Map<String, Object> env, List<ScenarioResult> results,
                             List<ScenarioResult> allRounds, Map<String, String> descriptions) throws IOException {
        String md = markdown(config, env, results, allRounds, descriptions);
        Files.writeString(config.out().resolve("results.md"), md, StandardCharsets.UTF_8);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("finishedAt", Instant.now().toString());
        json.put("command", config.commandLine());
        json.put("config", configMap(config));
        json.put("environment", env);
        json.put("scenarios", descriptions);
        json.put("results", results);
        json.put("allRounds", allRounds);
        json.put("goals", goals(results));
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(config.out().resolve("results.json"), mapper.writeValueAsString(json), StandardCharsets.UTF_8);
        Charts.write(config.out(), results);
        return new BenchReport(config, env, results, config.out(), md);
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
        m.put("window", c.window());
        m.put("maxOutstanding", c.maxOutstanding());
        m.put("rounds", c.rounds());
        return m;
    }

    static String markdown(BenchConfig c, Map<String, Object> env, List<ScenarioResult> results, List<ScenarioResult> allRounds,
                           Map<String, String> descriptions) {
        StringBuilder b = new StringBuilder();
        b.append("# RouteMQ end-to-end bench\n\n");
        b.append("Command: `").append(c.commandLine()).append("`\n\n");
        b.append("Machine: ").append(env.get("cpus")).append(" CPUs (").append(env.get("cpuModel")).append("), ")
                .append(env.get("jdk")).append(", max heap ").append(env.get("maxHeapMb")).append(" MB; load average ")
                .append(env.get("loadAverageAtStart")).append(" at start, ").append(env.get("loadAverageAtEnd")).append(" at end.\n\n");
        b.append("Broker: ").append(env.get("broker")).append(". Load: ").append(c.publishers()).append(" publishers, ")
                .append(c.payloadBytes()).append(" B payloads, ").append(c.sites() * c.devices()).append(" topics `site/s{0..")
                .append(c.sites() - 1).append("}/device/d{0..").append(c.devices() - 1).append("}/telemetry`, ");
        if (c.duration() != null) b.append(c.duration().toSeconds()).append(" s per phase");
        else b.append(String.format(Locale.ROOT, "%,d messages per phase at QoS 0, %,d at QoS 1/2", c.messagesQos0(), c.messagesQos1()))
                .append(c.httpMessages() > 0 ? String.format(Locale.ROOT, " (http scenarios: at most %,d)", c.httpMessages()) : "");
        b.append(c.rate() > 0 ? String.format(Locale.ROOT, ", target rate %,.0f msg/s", c.rate()) : ", as fast as possible")
                .append(c.maxOutstanding() > 0 ? String.format(Locale.ROOT, " with at most %,d messages outstanding (closed loop)", c.maxOutstanding())
                        : " (open loop)")
                .append(". Publishers, broker and receivers share one JVM, so CPU and heap are the whole process's.\n\n");
        if (c.rounds() > 1) {
            b.append("Best of ").append(c.rounds()).append(" rounds per row (highest msgs/s; at half load the lowest p99); every round is listed below.\n\n");
        }
        table(b, results, false);
        b.append("\n**Goals**\n\n");
        for (String g : goals(results)) b.append("- ").append(g).append('\n');
        if (c.rounds() > 1) {
            b.append("\n**Every round** (vs raw: the raw row of the same round)\n\n");
            table(b, allRounds, true);
        }
        rest(b, results, descriptions);
        return b.toString();
    }

    private static void table(StringBuilder b, List<ScenarioResult> results, boolean rounds) {
        b.append(rounds ? "| round " : "").append("| scenario | QoS | load | msgs/s | vs raw | p50 ms | p99 ms | p99.9 ms | max ms | lost | dup | reordered | heap after GC MB | CPU cores | CPU µs/msg |\n");
        b.append(rounds ? "|---:" : "").append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ScenarioResult r : results) {
            if (rounds) b.append("| ").append(r.round()).append(' ');
            if (r.error() != null) {
                b.append("| ").append(r.scenario()).append(" | ").append(r.qos()).append(" | ").append(r.load())
                        .append(" | failed: ").append(r.error().replace('|', '/')).append(" |||||||||||\n");
                continue;
            }
            String load = r.load().equals("half") ? String.format(Locale.ROOT, "half (%,.0f/s)", r.targetRate())
                    : r.load().equals("rate") ? String.format(Locale.ROOT, "rate %,.0f/s", r.targetRate()) : "max";
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %s | %.3f | %.3f | %.3f | %.1f | %,d | %,d | %,d | %.0f | %.2f | %.1f |%n",
                    r.scenario(), r.qos(), load, r.msgsPerSec(), r.ratioToRaw() == null ? "" : String.format(Locale.ROOT, "%.1f%%", r.ratioToRaw() * 100),
                    r.p50Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.lost(), r.duplicates(), r.reordered(), r.heapAfterGcMb(),
                    r.cpuCores(), r.cpuUsPerMsg()));
        }
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
        b.append("\nFiles: results.json, throughput.png, latency.png")
                .append(results.stream().anyMatch(r -> r.load().equals("half")) ? ", latency-half-load.png" : "")
                .append(", latency-<scenario>-qos<q>-<load>-r<round>.hgrm (HdrHistogram percentile distributions, ms).\n");
    }

    /** The three goals, each with the measured figure and PASS, FAIL or not measured. */
    static List<String> goals(List<ScenarioResult> results) {
        List<String> out = new ArrayList<>();
        StringBuilder g1 = new StringBuilder("router throughput >= 95% of raw: ");
        boolean any = false;
        for (ScenarioResult r : results) {
            if ((r.scenario().equals("router") || r.scenario().equals("router10k")) && r.ratioToRaw() != null) {
                g1.append(any ? ", " : "").append(String.format(Locale.ROOT, "%s QoS %d %.1f%% %s", r.scenario(), r.qos(),
                        r.ratioToRaw() * 100, r.ratioToRaw() >= 0.95 ? "PASS" : "FAIL"));
                any = true;
            }
        }
        out.add(any ? g1.toString() : g1 + "not measured (needs raw and router)");
        StringBuilder g2 = new StringBuilder("MQTT -> HTTP with durable acks >= 50% of raw QoS 1: ");
        any = false;
        for (ScenarioResult r : results) {
            if (r.scenario().startsWith("http") && r.qos() == 1 && r.ratioToRaw() != null) {
                g2.append(any ? ", " : "").append(String.format(Locale.ROOT, "%s %.1f%% %s", r.scenario(), r.ratioToRaw() * 100,
                        r.ratioToRaw() >= 0.5 ? "PASS" : "FAIL"));
                any = true;
            }
        }
        out.add(any ? g2.toString() : g2 + "not measured (needs raw and http at QoS 1)");
        StringBuilder g3 = new StringBuilder("p99 publish-to-handler < 2 ms at half of max load: ");
        any = false;
        for (ScenarioResult r : results) {
            if (r.load().equals("half") && r.error() == null && !r.scenario().startsWith("http")) {
                g3.append(any ? ", " : "").append(String.format(Locale.ROOT, "%s QoS %d %.3f ms %s", r.scenario(), r.qos(), r.p99Ms(),
                        r.p99Ms() < 2 ? "PASS" : "FAIL"));
                any = true;
            }
        }
        out.add(any ? g3.toString() : g3 + "not measured (run with --half-load-latency)");
        return out;
    }

    static String oneLine(ScenarioResult r) {
        if (r.error() != null) return r.scenario() + " qos " + r.qos() + ": failed: " + r.error();
        return String.format(Locale.ROOT, "%s qos %d %s: %,.0f msg/s, p50 %.3f ms, p99 %.3f ms, lost %,d, dup %,d", r.scenario(),
                r.qos(), r.load(), r.msgsPerSec(), r.p50Ms(), r.p99Ms(), r.lost(), r.duplicates());
    }
}
