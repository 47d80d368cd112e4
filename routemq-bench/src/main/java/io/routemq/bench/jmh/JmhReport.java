package io.routemq.bench.jmh;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file ({@code -rf json}) of {@link RouterMatchBenchmark} and {@link DispatchBenchmark} into
 * the Markdown tables of docs/performance.md, and checks the router's targets. Bench code: prints to stdout.
 * <pre>{@code java -cp routemq-bench.jar io.routemq.bench.jmh.JmhReport results/jmh/jmh.json}</pre>
 */
public final class JmhReport {
    private JmhReport() {
    }

    /** Row of one benchmark: score and error in ops/s. */
    record Row(String method, String param, double score, double error, String unit) {
    }

    /** Prints the tables for the JSON file given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JmhReport <jmh-result.json>   (a file written by JMH with -rf json)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            System.err.println("JmhReport: no such file '" + file + "'; run run-jmh.sh first or pass the -rff path");
            System.exit(2);
        }
        ObjectMapper json = JsonMapper.builder().build();
        JsonNode root = json.readTree(file.toFile());
        Map<String, Row> match = new LinkedHashMap<>();
        Map<String, Row> dispatch = new LinkedHashMap<>();
        for (JsonNode b : root) {
            String name = b.path("benchmark").asString();
            String method = name.substring(name.lastIndexOf('.') + 1);
            JsonNode params = b.path("params");
            JsonNode pm = b.path("primaryMetric");
            if (name.contains("RouterMatchBenchmark")) {
                String routes = params.path("routes").asString();
                match.put(method + "/" + routes, new Row(method, routes, pm.path("score").asDouble(),
                        pm.path("scoreError").asDouble(), pm.path("scoreUnit").asString()));
            } else if (name.contains("DispatchBenchmark")) {
                String lanes = params.path("lanes").asString();
                dispatch.put(method + "/" + lanes, new Row(method, lanes, pm.path("score").asDouble(),
                        pm.path("scoreError").asDouble(), pm.path("scoreUnit").asString()));
            }
        }
        print(System.out, match, dispatch);
    }

    static void print(PrintStream out, Map<String, Row> match, Map<String, Row> dispatch) {
        if (!match.isEmpty()) {
            out.println("| benchmark | routes | matches/s | ± (99.9%) | ns/match | ratio vs regex |");
            out.println("|---|---:|---:|---:|---:|---:|");
            for (String method : new String[] {"trieMatch", "regexScan"}) {
                for (Row r : match.values()) {
                    if (!r.method().equals(method)) continue;
                    Row rx = match.get("regexScan/" + r.param());
                    String ratio = rx == null ? "n/a" : method.equals("regexScan") ? "1x" : fmtRatio(r.score() / rx.score());
                    out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", label(method), fmtInt(r.param()),
                            fmtOps(r.score()), fmtOps(r.error()), fmtNs(r.score()), ratio);
                }
            }
            out.println();
            Row t10 = match.get("trieMatch/10");
            Row t10k = match.get("trieMatch/10000");
            Row t100k = match.get("trieMatch/100000");
            Row r10k = match.get("regexScan/10000");
            if (t10k != null) {
                out.printf(Locale.ROOT, "- target >= 10M matches/s at 10k routes: %s matches/s -> %s%n",
                        fmtOps(t10k.score()), t10k.score() >= 10e6 ? "met" : "MISSED");
            }
            if (t10 != null && t100k != null) {
                double costRatio = t10.score() / t100k.score();
                out.printf(Locale.ROOT, "- target cost(100k) <= 1.5x cost(10): %.2fx -> %s%n", costRatio,
                        costRatio <= 1.5 ? "met" : "MISSED");
            }
            if (t10k != null && r10k != null) {
                double speedup = t10k.score() / r10k.score();
                out.printf(Locale.ROOT, "- target >= 100x the regex scan at 10k routes: %s -> %s%n", fmtRatio(speedup),
                        speedup >= 100 ? "met" : "MISSED");
            }
            out.println();
        }
        if (!dispatch.isEmpty()) {
            out.println("| benchmark | lanes | messages/s | ± (99.9%) | ns/message |");
            out.println("|---|---|---:|---:|---:|");
            for (Row r : dispatch.values()) {
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.method().equals("resolve") ? "RouteTable.resolve (baseline)"
                                : "Dispatcher.dispatch + 2 middleware + handler + ack", r.param(), fmtOps(r.score()),
                        fmtOps(r.error()), fmtNs(r.score()));
            }
        }
    }

    private static String label(String method) {
        return method.equals("trieMatch") ? "RouteTable.match (trie)" : "regex scan (Python RouteMQ style)";
    }

    private static String fmtInt(String s) {
        return String.format(Locale.ROOT, "%,d", Long.parseLong(s));
    }

    private static String fmtOps(double v) {
        if (v >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (v >= 1) return String.format(Locale.ROOT, "%,.1f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String fmtNs(double opsPerSecond) {
        double ns = 1e9 / opsPerSecond;
        if (ns >= 1e6) return String.format(Locale.ROOT, "%,.0f", ns);
        return String.format(Locale.ROOT, "%,.1f", ns);
    }

    private static String fmtRatio(double r) {
        return r >= 100 ? String.format(Locale.ROOT, "%,.0fx", r) : String.format(Locale.ROOT, "%.1fx", r);
    }
}
