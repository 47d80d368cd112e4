package io.routemq.server.cli;

import io.routemq.server.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouteMqCliTest {

    /** What one CLI run printed and returned. */
    record Run(int code, String out, String err) {
    }

    /** A launcher that records what it was given instead of starting a gateway. */
    static final class RecordingLauncher implements GatewayLauncher {
        GatewayConfig config;
        Path file;
        int calls;

        @Override
        public int run(GatewayConfig config, Path configFile) {
            this.config = config;
            this.file = configFile;
            calls++;
            return 0;
        }
    }

    /** Dead-letter commands that print what they were asked. */
    static final class EchoDeadLetters implements DeadLetterCommands {
        final List<String> calls = new ArrayList<>();

        @Override
        public int list(GatewayConfig config, String sink, int limit, PrintWriter out) {
            calls.add("list " + sink + " " + limit);
            out.println("no dead letters");
            return 0;
        }

        @Override
        public int show(GatewayConfig config, String sink, String id, PrintWriter out) {
            calls.add("show " + sink + " " + id);
            return 0;
        }

        @Override
        public int replay(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) {
            calls.add("replay " + sink + " " + ids + " " + all);
            return 0;
        }

        @Override
        public int purge(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) {
            calls.add("purge " + sink + " " + ids + " " + all);
            return 0;
        }
    }

    static Run run(RouteMqCli cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(new RouteMqCli(null, null, Map.of()), args);
    }

    static String resource(String name) throws URISyntaxException {
        return Path.of(RouteMqCliTest.class.getResource("/config/" + name).toURI()).toString();
    }

    @Test
    void checkPrintsTheResolvedConfigAndTheSubscriptions() throws Exception {
        Run r = run(new RouteMqCli(null, null, Map.of("PLANT_USER", "u", "PLANT_PASSWORD", "p")), "check", "--config", resource("full.yaml"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(": OK (RouteMQ format, YAML)")
                .contains("Brokers", "plant", "mqtts://broker.plant.example:8883", "resumed, expiry 1h")
                .contains("Routes", "telemetry", "plant/{line}/machine/{id}/telemetry", "g x3", "ingest, archive")
                .contains("      filter payload.temp gt 30")
                .contains("Sinks", "http PUT", "failover", "8 attempts, 500ms..1m, max age 2h")
                .contains("Subscriptions", "  plant:\n    $share/g/plant/+/machine/+/telemetry  qos 1  x3 connections",
                        "  embedded:\n    $share/routemq/local/#  qos 1");
        assertThat(r.out()).doesNotContain("lab/#  qos");
    }

    @Test
    void checkShowsADiscardSink(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("routemq.yaml");
        java.nio.file.Files.writeString(file, "routes:\n  - { topic: 'sensors/#', to: [devnull] }\nsinks:\n  devnull:\n    discard: {}\n");
        Run r = run("check", "--config", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("(?m)^  devnull +discard +- +- +unlimited, 500ms\\.\\.1m, max age 1d +-$");
    }

    @Test
    void checkOfTheGoExampleShowsItsMapping() throws Exception {
        Run r = run("check", "-c", resource("go-example.json"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("OK (the Go middleware's format, JSON)", "go-mqtt-client-1", "6 attempts, 1s",
                "  go-mqtt-client-2:\n    from/v1/#  qos 0");
    }

    @Test
    void checkPrintsEveryErrorAndExitsWithOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routemq.yaml");
        Files.writeString(file, """
                sinks:
                  archive: { http: { urls: [http://h/x] } }
                routes:
                  - { topic: 'fleet/#/gps', to: [archiv] }
                admin: { prot: 1 }
                """);
        Run r = run("check", "--config", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(String.join("\n",
                file + ":4:14 routes[0].topic 'fleet/#/gps': '#' must be the last level (position 7)",
                file + ":4:34 routes[0].to[0]: unknown sink 'archiv' (did you mean 'archive'?)",
                file + ":5:10 admin.prot: unknown key 'prot' (did you mean 'port'?)",
                "3 errors.", ""));
    }

    @Test
    void checkNeedsAConfigAndAMissingFileIsAnError() {
        Run usage = run("check");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option: '--config=FILE'");
        Run missing = run("check", "--config", "nope.yaml");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("nope.yaml: file not found");
    }

    @Test
    void routesPrintsTheTableAndTracesATopic() throws Exception {
        Run table = run("routes", "--config", demo());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("demo-telemetry  embedded  demo/{deviceId}/telemetry  1    -       ingest");
        Run trace = run("routes", "--config", demo(), "--topic", "demo/dev-1/telemetry");
        assertThat(trace.out()).isEqualTo("embedded: route 'demo-telemetry' {deviceId=dev-1} -> ingest\n");
        Run none = run("routes", "--config", demo(), "--topic", "other/x");
        assertThat(none.out()).isEqualTo("no route receives 'other/x'\n");
        Run excluded = run("routes", "--config", resource("go-example.json"), "-t", "from/v1/aaa/x", "-b", "go-mqtt-client-1");
        assertThat(excluded.out()).isEqualTo("go-mqtt-client-1: route 'test1' matches, but excludeRegex 'from/v1/aaa/' skips it\n");
    }

    static String demo() throws URISyntaxException {
        // The classpath copy is checked to equal config/demo.yaml by ConfigLoaderTest.
        return Path.of(RouteMqCliTest.class.getResource("/routemq-demo.yaml").toURI()).toString();
    }

    @Test
    void runWithoutAConfigRunsTheDemoThroughTheLauncher() {
        RecordingLauncher launcher = new RecordingLauncher();
        Run r = run(new RouteMqCli(launcher, null, Map.of()), "run");
        assertThat(r.code()).isZero();
        assertThat(launcher.calls).isEqualTo(1);
        assertThat(launcher.file).isNull();
        assertThat(launcher.config.embeddedBrokerEnabled()).isTrue();
        assertThat(launcher.config.routes().get(0).topic()).isEqualTo("demo/{deviceId}/telemetry");
        // nothing is printed before the gateway's own first line, which names the embedded broker's address
        assertThat(r.err()).isEmpty();
    }

    @Test
    void runPassesTheFileAndRefusesABadConfig(@TempDir Path dir) throws Exception {
        RecordingLauncher launcher = new RecordingLauncher();
        Run ok = run(new RouteMqCli(launcher, null, Map.of()), "run", "--config", resource("go-example.json"));
        assertThat(ok.code()).isZero();
        assertThat(launcher.file).isEqualTo(Path.of(resource("go-example.json")));
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "admin: { port: -1 }\n");
        Run refused = run(new RouteMqCli(launcher, null, Map.of()), "run", "-c", bad.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("admin.port: must be between 0 and 65535, got -1");
        assertThat(launcher.calls).isEqualTo(1);
    }

    @Test
    void runWithoutARuntimeSaysSo() {
        Run r = run("run");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("the gateway runtime is not on the classpath");
    }

    @Test
    void launcherExitCodeAndFailureArePassedOn() {
        Run code = run(new RouteMqCli((c, f) -> 3, null, Map.of()), "run");
        assertThat(code.code()).isEqualTo(3);
        Run failed = run(new RouteMqCli((c, f) -> {
            throw new IllegalStateException("port 1883 in use");
        }, null, Map.of()), "run");
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.err()).contains("routemq run: port 1883 in use\n").doesNotContain("java.lang");
    }

    @Test
    void dlqSubcommandsReachTheHook() throws Exception {
        EchoDeadLetters dl = new EchoDeadLetters();
        RouteMqCli cli = new RouteMqCli(null, dl, Map.of());
        assertThat(run(cli, "dlq", "list").out()).isEqualTo("no dead letters\n");
        assertThat(run(cli, "dlq", "list", "--sink", "ingest", "-n", "5").code()).isZero();
        assertThat(run(cli, "dlq", "show", "42").code()).isZero();
        assertThat(run(cli, "dlq", "replay", "--all", "-s", "ingest").code()).isZero();
        assertThat(run(cli, "dlq", "replay", "1", "2").code()).isZero();
        assertThat(run(cli, "dlq", "purge", "--all", "--config", demo()).code()).isZero();
        assertThat(dl.calls).containsExactly("list null 50", "list ingest 5", "show null 42", "replay ingest [] true",
                "replay null [1, 2] false", "purge null [] true");
    }

    @Test
    void dlqChecksTheSinkAndTheArguments() {
        EchoDeadLetters dl = new EchoDeadLetters();
        RouteMqCli cli = new RouteMqCli(null, dl, Map.of());
        Run unknown = run(cli, "dlq", "list", "--sink", "ingets");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("routemq dlq list: unknown sink 'ingets' (did you mean 'ingest'?)\n");
        assertThat(run(cli, "dlq", "replay").code()).isEqualTo(2);
        assertThat(run(cli, "dlq", "replay", "--all", "7").code()).isEqualTo(2);
        assertThat(run(cli, "dlq").code()).isEqualTo(2);
        assertThat(dl.calls).isEmpty();
        Run missing = run("dlq", "list");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("routemq dlq list: the dead-letter store is not part of this build").doesNotContain("io.routemq");
    }

    @Test
    void helpOnEveryCommand() {
        for (String[] args : List.of(new String[]{"--help"}, new String[]{"run", "--help"}, new String[]{"check", "--help"},
                new String[]{"routes", "--help"}, new String[]{"dlq", "--help"}, new String[]{"dlq", "list", "--help"},
                new String[]{"dlq", "show", "--help"}, new String[]{"dlq", "replay", "--help"}, new String[]{"dlq", "purge", "--help"},
                new String[]{"version", "--help"}, new String[]{"broker", "--help"}, new String[]{"help", "check"})) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: routemq");
        }
        assertThat(run("--help").out()).contains("run", "check", "routes", "dlq", "version", "broker");
        // the launcher's own commands are listed too, and said to be the launcher's
        assertThat(run("--help").out()).contains("./routemq launcher", "\n  example  ", "\n  bench    ");
    }

    @Test
    void versionBrokerHelpAndUsageErrors() {
        Run v = run("version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("routemq 0.1.0-SNAPSHOT\nJava ");
        assertThat(run("--version").out()).startsWith("routemq 0.1.0-SNAPSHOT");
        Run broker = run("broker", "--help");
        assertThat(broker.code()).isZero();
        assertThat(broker.out()).contains("passwd").contains("--ws-port");
        assertThat(run("frobnicate").code()).isEqualTo(2);
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("run", "--cnofig", "x").err()).contains("Unknown options: '--cnofig'");
    }

    @Test
    void staticExecuteWorksForTests() {
        assertThat(RouteMqCli.execute("version")).isZero();
    }
}
