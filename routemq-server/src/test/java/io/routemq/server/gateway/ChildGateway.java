package io.routemq.server.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * {@code routemq <args>} in a child JVM on this test's classpath, as a user runs it: its own working directory and
 * environment, standard output and error together in a file. {@link #sigterm()} is the signal a service manager
 * sends; {@link #close()} kills what is still running.
 */
final class ChildGateway implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ChildGateway(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code io.routemq.server.cli.RouteMqCli args...} in {@code workDir} with the extra {@code env}; the
     * output goes to {@code output}.
     */
    static ChildGateway start(Path workDir, Map<String, String> env, Path output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.routemq.server.cli.RouteMqCli");
        cmd.addAll(List.of(args));
        Files.createDirectories(workDir);
        Files.createDirectories(output.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return new ChildGateway(pb.start(), output);
    }

    /** What the child printed so far. */
    String output() throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /** The first line the child printed, or "" before it printed one. */
    String firstLine() throws IOException {
        String all = output();
        int nl = all.indexOf('\n');
        return nl < 0 ? "" : all.substring(0, nl);
    }

    /** Waits until the output contains {@code text}; fails with the output when the child exits first. */
    void awaitOutput(String text, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (output().contains(text)) return true;
            if (!process.isAlive()) throw new AssertionError("the child exited with " + process.exitValue() + " before printing '"
                    + text + "':\n" + output());
            return false;
        });
    }

    /** Sends SIGTERM, as a service manager or {@code kill} does. */
    void sigterm() {
        process.destroy();
    }

    /** Waits for the exit; returns false when the child still runs after {@code atMost}. */
    boolean waitFor(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    Path outputFile() {
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
