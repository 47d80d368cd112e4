package io.routemq.mqtt;

import io.routemq.core.Publication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child JVM handling a stream is killed with SIGKILL mid-stream. A restarted child (same persistent session)
 * receives every message the first one had not acknowledged: the union of what both recorded is everything sent.
 */
class ProcessKillTest {
    @TempDir
    Path tmp;

    @Test
    void restartedProcessReceivesEveryUnacknowledgedMessage() throws Exception {
        int total = 2_000;
        try (TestSupport.HiveMq broker = new TestSupport.HiveMq(tmp.resolve("hivemq")).start();
             SessionManager pubs = new SessionManager()) {
            Path first = tmp.resolve("first.txt");
            Path second = tmp.resolve("second.txt");
            Process child = startChild(broker.url(), first, tmp.resolve("child1.log"));
            // wait until the child has subscribed (its persistent session exists), then publish everything
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tmp.resolve("child1.log"))
                    && Files.readString(tmp.resolve("child1.log")).contains("-> READY"));
            MqttSession pub = pubs.add(SessionConfig.builder(broker.url()).clientId("kill-pub").build());
            pub.connect();
            pub.awaitReady(Duration.ofSeconds(10));
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                fs.add(pub.publish(new Publication(null, "kill/" + (i % 8), Integer.toString(i).getBytes(StandardCharsets.US_ASCII), 1, false, null)));
            }
            CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> lines(first).size() >= 200);
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(137);
            Set<String> before = new HashSet<>(lines(first));
            assertThat(before.size()).isLessThan(total);

            Process again = startChild(broker.url(), second, tmp.resolve("child2.log"));
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Set<String> union = new HashSet<>(before);
                    union.addAll(lines(second));
                    return union.size() >= total;
                });
            } finally {
                again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            List<String> after = lines(second);
            Set<String> union = new HashSet<>(before);
            union.addAll(after);
            long redone = after.stream().filter(before::contains).count();
            System.out.printf("process kill: sent=%d handled before kill=%d handled after restart=%d (of which again: %d) missing=%d%n",
                    total, before.size(), after.size(), redone, total - union.size());
            assertThat(union).hasSize(total);
        }
    }

    private static List<String> lines(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return List.of();
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(p)) if (!l.isBlank()) out.add(l.trim());
        return out;
    }

    private static Process startChild(String url, Path out, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx256m", KillChild.class.getName(), url, out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
