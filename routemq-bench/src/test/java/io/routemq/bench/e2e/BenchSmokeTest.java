package io.routemq.bench.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A smoke run of the end-to-end bench with tiny counts on the embedded broker: every scenario at QoS 0 and 1,
 * nothing lost, the report files written. It checks that the harness works, never how fast anything is.
 */
class BenchSmokeTest {

    @Test
    void tinyRunOfEveryScenarioLosesNothingAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench");
        BenchReport report = BenchMain.run("--broker", "embedded", "--scenarios", "all", "--qos", "0,1",
                "--messages", "300", "--warmup", "50", "--jvm-warmup", "100", "--rate", "3000", "--publishers", "2", "--payload", "32",
                "--sites", "3", "--devices", "5", "--half-load-latency", "--http-batch", "10", "--idle-timeout", "10s",
                "--no-progress", "--out", out.toString());

        assertThat(report.results()).hasSize(ScenarioKind.values().length * 2 * 2);
        for (ScenarioResult r : report.results()) {
            assertThat(r.error()).as("%s qos %d %s", r.scenario(), r.qos(), r.load()).isNull();
            assertThat(r.published()).as("%s qos %d %s published", r.scenario(), r.qos(), r.load()).isEqualTo(300);
            assertThat(r.lost()).as("%s qos %d %s lost", r.scenario(), r.qos(), r.load()).isZero();
            assertThat(r.complete()).isTrue();
            assertThat(r.p50Ms()).isPositive();
        }
        assertThat(report.find("raw", 1, "rate").ratioToRaw()).isEqualTo(1.0);
        assertThat(report.find("router", 0, "rate").ratioToRaw()).isNotNull();
        for (String f : new String[] {"results.md", "results.json", "throughput.png", "latency.png", "latency-half-load.png",
                "latency-router-qos1-rate-r1.hgrm"}) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
            assertThat(Files.size(out.resolve(f))).as(f).isPositive();
        }
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("| scenario | QoS | load | msgs/s | vs raw |").contains("| router10k | 1 |").contains("**Goals**");
        assertThat(Files.readString(out.resolve("results.json"))).contains("\"scenario\" : \"http-batch\"");
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
