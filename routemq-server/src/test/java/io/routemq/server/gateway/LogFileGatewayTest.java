package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import io.routemq.server.cli.RouteMqCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code logging.file} as {@code routemq run} uses it, in a child JVM: the file is written <em>and</em> the console
 * keeps logging; a file that cannot be written (its parent is a file; a read-only mount) stops the start with a
 * message naming {@code logging.file} and the path, instead of a gateway with no output anywhere; and
 * {@code routemq check} warns about it.
 */
@ExtendWith(SharedBroker.class)
class LogFileGatewayTest {

    static String config(EmbeddedBroker broker, Path tmp, String clientId, Path logFile) {
        return common(broker.tcpPort(), clientId, tmp.resolve("queue"), false) + """
                routes:
                  - { name: logged, topic: logfile/#, middleware: [ { log: {} } ], to: [ingest] }
                sinks:
                  ingest: { http: { urls: [http://127.0.0.1:9/ingest] } }
                logging:
                  level: info
                  file: '%s'
                """.formatted(logFile.toAbsolutePath());
    }

    @Test
    void theFileIsWrittenAndTheConsoleKeepsLogging(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        Path logFile = tmp.resolve("logs").resolve("gateway.log");
        Path file = write(tmp, "routemq.yaml", config(broker, tmp, "gw-log-file", logFile));
        Path out = Path.of("target", "child-logs", "log-file-console.log").toAbsolutePath();
        try (ChildGateway child = ChildGateway.start(tmp, Map.of(), out, "run", "--config", file.toString())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(logFile) && Files.readString(logFile).contains("RouteMQ gateway running"));
            // the log middleware's line: its key-values follow the message in the text format
            try (TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "gw-log-file-pub")) {
                pub.publish("logfile/dev-1", "{\"t\":1}").get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(logFile).contains("topic=\"logfile/dev-1\""));
            child.sigterm();
            assertThat(child.waitFor(Duration.ofSeconds(60))).isTrue();
            String console = child.output();
            String logged = Files.readString(logFile, StandardCharsets.UTF_8);
            assertThat(console).as("the console").contains("RouteMQ gateway running").contains("GatewayRunner - stopped");
            assertThat(logged).as("the file").contains("RouteMQ gateway running").contains("GatewayRunner - stopped");
            assertThat(console.lines().filter(l -> l.contains("routemq.messages - ")).findFirst().orElse(""))
                    .as("the log middleware's line on the console").contains("route=\"logged\"").contains("topic=\"logfile/dev-1\"")
                    .contains("qos=\"1\"");
            assertThat(console.lines().filter(l -> l.contains("RouteMQ gateway running")).findFirst().orElse(""))
                    .as("a line without key-values ends with its message").doesNotEndWith(" ");
            report("log-file", "console " + console.lines().count() + " lines, " + logFile.getFileName() + " " + logged.lines().count()
                    + " lines; both have the running and the stopped line");
        }
    }

    @Test
    void aLogFileUnderAFileStopsTheStartAndCheckWarns(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        Path notADir = Files.writeString(tmp.resolve("not-a-dir"), "x");
        refused(broker, tmp, notADir.resolve("gateway.log"), "log-under-file", "is a file, not a directory");
    }

    @Test
    void aLogFileOnAReadOnlyMountStopsTheStartAndCheckWarns(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                () -> "mounting a read-only tmpfs was refused (needs root): " + why);
        try {
            refused(broker, tmp, ro.resolve("logs").resolve("gateway.log"), "log-read-only", "read-only file system");
        } finally {
            new ProcessBuilder("umount", ro.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** {@code check} warns (exit 0) and {@code run} exits 1 at once, both naming logging.file and the path. */
    private static void refused(EmbeddedBroker broker, Path tmp, Path logFile, String name, String reason) throws Exception {
        Path file = write(tmp, "routemq.yaml", config(broker, tmp, "gw-" + name, logFile));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int checked = new RouteMqCli(null, null, Map.of()).execute(new PrintWriter(out), new PrintWriter(err), "check", "--config", file.toString());
        assertThat(checked).as("check: a warning, not an error (check may run on another machine)").isZero();
        String checkOutput = out + "\n" + err;
        assertThat(checkOutput).contains("warning: ").contains("logging.file: '" + logFile.toAbsolutePath() + "': cannot write the log file")
                .contains(reason);

        Path childOut = Path.of("target", "child-logs", name + ".log").toAbsolutePath();
        try (ChildGateway child = ChildGateway.start(tmp, Map.of(), childOut, "run", "--config", file.toString())) {
            assertThat(child.waitFor(Duration.ofSeconds(60))).as("run stops instead of running without output; output:\n%s", child.output()).isTrue();
            String printed = child.output();
            assertThat(child.exitValue()).isEqualTo(1);
            assertThat(printed).contains("logging.file '" + logFile.toAbsolutePath() + "': cannot write the log file").contains(reason)
                    .doesNotContain("RouteMQ gateway running");
            report("log-file", name + ": check warned (" + checkOutput.lines().filter(l -> l.contains("logging.file")).findFirst().orElse("")
                    + "); run exited with " + child.exitValue() + ": " + printed.strip().lines().filter(l -> l.startsWith("routemq run:")).findFirst().orElse(""));
        }
    }
}
