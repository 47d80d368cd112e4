package io.routemq.bench.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A smoke run of the end-to-end bench with tiny counts: every scenario at QoS 0 and 1, each consumer in its own JVM (the
 * gateway through {@code routemq run} with a generated config), against a private Mosquitto when the binary exists
 * (else the embedded broker in the bench process). Nothing lost, CPU read for every consumer process, the report
 * files written. One round (the judging of rounds is {@link GoalsTest}'s). It checks that the harness works, never how
 * fast anything is.
 */
class BenchSmokeTest {

    @Test
    void tinyRunOfEveryScenarioInItsOwnProcessLosesNothingAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        BenchReport report = BenchMain.run("--scenarios", "all", "--qos", "0,1", "--rounds", "1",
                "--messages", "300", "--warmup", "50", "--jvm-warmup", "100", "--rate", "3000", "--publishers", "2", "--payload", "64",
                "--sites", "3", "--devices", "5", "--half-load-latency", "--http-batch", "10", "--queue-batch", "20", "--idle-timeout", "10s",
                "--consumer-jvm-opts", "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                "--no-progress", "--out", out.toString());

        assertThat(report.results()).hasSize(ScenarioKind.values().length * 2 * 2);
        assertThat(report.results().stream().map(ScenarioResult::consumerPid).distinct())
                .as("one consumer process per scenario and QoS, none of them the bench").hasSize(ScenarioKind.values().length * 2)
                .doesNotContain(ProcessHandle.current().pid(), -1L);
        boolean mosquitto = BrokerTarget.Mosquitto.binary() != null;
        assertThat(String.valueOf(report.environment().get("broker"))).contains(mosquitto ? "private mosquitto" : "embedded broker");
        for (ScenarioResult r : report.results()) {
            String row = r.scenario() + " qos " + r.qos() + " " + r.load() + " round " + r.round();
            assertThat(r.error()).as(row).isNull();
            assertThat(r.published()).as("%s published", row).isEqualTo(300);
            assertThat(r.lost()).as("%s lost", row).isZero();
            assertThat(r.complete()).as(row).isTrue();
            if (r.scenario().equals("queue")) {
                // the discard sink: counted by the gateway's metrics, which cannot see latency, duplicates or order
                assertThat(r.duplicates()).as("%s duplicates", row).isEqualTo(-1);
                assertThat(r.p50Ms()).as(row).isEqualTo(-1);
            } else {
                assertThat(r.duplicates()).as("%s duplicates", row).isZero();
                assertThat(r.p50Ms()).as(row).isPositive();
            }
            // the consumer's own process: its CPU comes from /proc/<child pid>/stat
            assertThat(r.cpuUsPerMsg()).as("%s consumer CPU", row).isGreaterThanOrEqualTo(0);
            assertThat(r.benchCpuUsPerMsg()).as("%s bench CPU", row).isGreaterThanOrEqualTo(0);
            if (mosquitto) assertThat(r.brokerCpuUsPerMsg()).as("%s broker CPU", row).isGreaterThanOrEqualTo(0);
            boolean gateway = List.of("queue", "http", "http-batch").contains(r.scenario());
            if (gateway) assertThat(r.heapAfterGcMb()).as("%s heap", row).isEqualTo(-1);
            else assertThat(r.heapAfterGcMb()).as("%s heap", row).isPositive();
        }
        double consumerCpu = report.results().stream().mapToDouble(ScenarioResult::cpuUsPerMsg).sum();
        assertThat(consumerCpu).as("CPU of the consumer processes, all rows").isPositive();
        assertThat(report.find("raw", 1, "rate", 1).ratioToRaw()).isEqualTo(1.0);
        assertThat(report.find("router", 0, "rate", 1).ratioToRaw()).isNotNull();
        assertThat(report.find("router", 1, "rate", 1).cpuRatioToRaw()).isNotNull();
        assertThat(report.find("router-nb", 0, "rate", 1).cpuRatioToRaw()).isNotNull();
        assertThat(report.goals()).as("the six targets, the two framework ones also for the non-blocking route").hasSize(8)
                .anyMatch(g -> g.target().startsWith("framework path, non-blocking route, QoS 1"));
        for (String f : new String[] {"results.md", "results.json", "throughput.png", "cpu.png", "latency.png", "latency-half-load.png",
                "latency-router-qos1-rate-r1.hgrm", "logs/http-qos1-r1.yaml"}) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
            assertThat(Files.size(out.resolve(f))).as(f).isPositive();
        }
        assertThat(out.resolve("logs/raw-qos1-r1.log")).as("the raw consumer's log").exists();
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("| round | scenario | QoS | load | msgs/s | vs raw | CPU µs/msg |").contains("| 1 | router10k | 1 |")
                .contains("**Goals**").contains("own JVM").contains("routemq run")
                .contains("-> sink discard: {}; a message counts when the gateway has durably enqueued (and acknowledged) it")
                .containsPattern("\\| 1 \\| queue \\| 1 \\| rate [^|]+ \\|( [^|]* \\|){8} n/a \\| n/a \\| n/a \\| 0 \\| n/a \\| n/a \\| n/a \\|");
        assertThat(Files.readString(out.resolve("logs/queue-qos1-r1.yaml"))).contains("    discard: {}");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"scenario\" : \"http-batch\"").contains("\"throughputRatioMedian\"");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> BenchMain.run("--payload", "8", "--out", "unused"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--payload 8").hasMessageContaining("--payload 20");
        assertThatThrownBy(() -> BenchMain.run("--scenarios", "raw,routr"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown scenario 'routr'");
        assertThatThrownBy(() -> BenchMain.run("--broker", "http://127.0.0.1:1883"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqtt://host:port");
        assertThatThrownBy(() -> BenchMain.run("--duration", "20x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--duration '20x'");
        assertThat(BenchMain.count("--messages", "200k")).isEqualTo(200_000);
    }
}
