package io.routemq.server.cli;

import io.routemq.core.sink.Envelope;
import io.routemq.queue.DeadLetterQueue;
import io.routemq.queue.QueueConfig;
import io.routemq.queue.QueueStore;
import io.routemq.server.cli.RouteMqCliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.routemq.server.cli.RouteMqCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code routemq dlq} over a real queue directory, in this JVM and as its own process: newest first, only the
 * config's sinks, clean standard output; errors that name the full command and no Java class; and what a locked queue
 * directory means for {@code run} and for {@code dlq}.
 */
class DlqAndErrorsCliTest {

    /** A config with sinks a and b whose queue is {@code queueDir}; its broker is never reached. */
    static Path config(Path dir, Path queueDir) throws IOException {
        Path file = dir.resolve("routemq.yaml");
        Files.writeString(file, """
                brokers:
                  plant: { url: 'mqtt://127.0.0.1:9' }
                routes:
                  - { topic: 'a/#', to: [a] }
                  - { topic: 'b/#', to: [b] }
                sinks:
                  a: { http: { urls: ['http://127.0.0.1:9/a'] } }
                  b: { http: { urls: ['http://127.0.0.1:9/b'] } }
                queue: { dir: '%s' }
                admin: { enabled: false }
                """.formatted(queueDir));
        return file;
    }

    static void deadLetter(DeadLetterQueue dlq, String topic) throws Exception {
        byte[] payload = new Envelope("r", "plant", topic, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), 1, false, List.of(), null,
                System.currentTimeMillis()).encode();
        Instant now = Instant.now();
        dlq.add(payload, -1, "HTTP 400", 1, now, now).get(10, TimeUnit.SECONDS);
    }

    /** Sink a gets dead letters on a/1, a/2, a/3 (in that order); a sink of another config, 'other', gets one. */
    static void fill(Path queueDir) throws Exception {
        try (QueueStore store = QueueStore.open(QueueConfig.builder(queueDir).build())) {
            for (int i = 1; i <= 3; i++) deadLetter(store.deadLetters("a"), "a/" + i);
            deadLetter(store.deadLetters("other"), "other/1");
        }
    }

    static RouteMqCli cli() {
        return new RouteMqCli(null, RouteMqCli.discover(DeadLetterCommands.class), Map.of());
    }

    @Test
    void dlqListIsNewestFirstAndOnlyTheConfigsSinks(@TempDir Path dir) throws Exception {
        Path queue = dir.resolve("queue");
        fill(queue);
        Path file = config(dir, queue);
        Run list = run(cli(), "dlq", "list", "--config", file.toString(), "-n", "2");
        assertThat(list.code()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("sink a: 3 dead letter(s), the newest 2 first (-n to see more)");
        assertThat(lines.get(1)).startsWith("  #2  ").contains("a/3");
        assertThat(lines.get(2)).startsWith("  #1  ").contains("a/2");
        assertThat(lines.get(3)).isEqualTo("sink b: 0 dead letter(s)");
        assertThat(lines.get(4)).isEqualTo("not listed: other in " + queue + ", queue(s) of sinks that are not in this config");
        assertThat(list.out()).doesNotContain("other/1");

        Run all = run(cli(), "dlq", "list", "--config", file.toString());
        assertThat(all.out()).contains("sink a: 3 dead letter(s), newest first\n  #2");

        // purge --all acts on this config's sinks only; the other config's dead letter stays
        Run purge = run(cli(), "dlq", "purge", "--all", "--config", file.toString());
        assertThat(purge.out()).isEqualTo("sink a: 3 dead letter(s) deleted\n");
        try (QueueStore store = QueueStore.open(QueueConfig.builder(queue).build())) {
            assertThat(store.deadLetters("other").size()).isEqualTo(1);
            assertThat(store.deadLetters("a").size()).isZero();
        }
        System.out.println("[dlq-cli] dlq list -n 2:\n" + list.out().strip());
    }

    @Test
    void failuresNameTheFullCommandAndNoJavaClass(@TempDir Path dir) throws Exception {
        Path file = config(dir, dir.resolve("queue"));
        Run show = run(cli(), "dlq", "show", "abc", "--config", file.toString());
        assertThat(show.code()).isEqualTo(1);
        assertThat(show.err()).isEqualTo("routemq dlq show: dead letter id 'abc' is not a number (see 'routemq dlq list')\n");
        Run failed = run(new RouteMqCli((c, f) -> {
            throw new IllegalStateException("cannot open lock file /q/routemq-queue.lock: java.nio.file.AccessDeniedException: "
                    + "/q/routemq-queue.lock - check that the queue directory is writable");
        }, null, Map.of()), "run", "--config", file.toString());
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.err()).isEqualTo("routemq run: cannot open lock file /q/routemq-queue.lock: access denied: "
                + "/q/routemq-queue.lock - check that the queue directory is writable\n");
        Run noMessage = run(new RouteMqCli((c, f) -> {
            throw new NullPointerException();
        }, null, Map.of()), "run", "--config", file.toString());
        assertThat(noMessage.err()).startsWith("routemq run: null pointer (an internal error without a message")
                .doesNotContain("java.").doesNotContain("Exception");
    }

    /** {@code java -cp <this classpath> io.routemq.server.cli.RouteMqCli ARGS}: exit code, stdout, stderr. */
    static Run child(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        if (Runtime.version().feature() >= 24) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RouteMqCli.class.getName());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not exit: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void dlqListInItsOwnProcessPrintsOnlyTheList(@TempDir Path dir) throws Exception {
        Path queue = dir.resolve("queue");
        fill(queue);
        Run r = child(dir, "dlq", "list", "--config", config(dir, queue).toString());
        assertThat(r.code()).as(r.err()).isZero();
        for (String line : r.out().lines().toList()) {
            assertThat(line).as("every line of standard output is the list's: " + r.out())
                    .matches("sink .*|  #\\d+  .*|not listed: .*");
        }
        assertThat(r.out()).contains("sink a: 3 dead letter(s), newest first");
        System.out.println("[dlq-cli] child dlq list: stdout " + r.out().lines().count() + " line(s), stderr "
                + r.err().lines().count() + " line(s)");
    }

    @Test
    void aLockedQueueDirectorySaysWhatItMeansForTheCommand(@TempDir Path dir) throws Exception {
        Path queue = dir.resolve("queue");
        Path file = config(dir, queue);
        long pid = ProcessHandle.current().pid();
        try (QueueStore held = QueueStore.open(QueueConfig.builder(queue).build())) {
            Run second = child(dir, "run", "--config", file.toString());
            assertThat(second.code()).isEqualTo(1);
            assertThat(second.err()).contains("routemq run: another gateway is already running with the queue directory "
                            + queue + " (pid " + pid + "). Stop it first, or run this one with its own queue directory: set queue.dir")
                    .doesNotContain("routemq dlq").doesNotContain("java.").doesNotContain("Exception");
            System.out.println("[lock] second run: exit " + second.code() + ": " + second.err().strip());

            Run dlq = child(dir, "dlq", "list", "--config", file.toString());
            assertThat(dlq.code()).isEqualTo(1);
            assertThat(dlq.err()).isEqualTo("routemq dlq list: the queue directory " + queue + " is in use by a running gateway (pid "
                    + pid + "): stop the gateway before running 'routemq dlq list', then try again\n");
            assertThat(dlq.out()).isEmpty();
        }
    }
}
