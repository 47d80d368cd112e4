package io.routemq.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A consumer under test in its own JVM: the same {@code java} as the bench, the same JVM options for every consumer
 * ({@code --consumer-jvm-opts}), the bench's class path. With {@code control}, the child speaks the
 * {@link ConsumerMain} protocol on stdin/stdout; otherwise (the gateway) its output goes to the log file and it is
 * stopped with SIGTERM, which runs its graceful shutdown.
 */
final class ChildJvm implements AutoCloseable {
    private static final String PREFIX = "@bench ";
    /** The bench's Logback configuration, a class path resource (HiveMQ CE's jar carries a logback.xml of its own). */
    static final String LOGBACK_CONFIG = "routemq-bench-logback.xml";
    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;
    private final String name;

    private ChildJvm(Process process, Path log, String name, boolean control) throws IOException {
        this.process = process;
        this.log = log;
        this.name = name;
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        if (control) {
            Writer logOut = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Thread.ofPlatform().daemon().name("bench-child-" + name).start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     logOut) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith(PREFIX)) replies.add(line.substring(PREFIX.length()));
                        else logOut.write(line + "\n");
                    }
                } catch (IOException e) {
                    // the child ended
                }
                replies.add("exited");
            });
        }
    }

    /** The JVM command for a child on the bench's class path: java, the consumer JVM options, the class path, the main class. */
    static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        return command(jvmOptions, System.getProperty("java.class.path"), LOGBACK_CONFIG, mainClass, args);
    }

    /**
     * The JVM command for a child on {@code classPath} (a gateway build), with the Logback configuration
     * {@code logbackConfig} (a class path resource or a file).
     */
    static List<String> command(List<String> jvmOptions, String classPath, String logbackConfig, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("-Dlogback.configurationFile=" + logbackConfig);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts a child; its stderr (and, without control, its stdout) goes to {@code log}. */
    static ChildJvm start(String name, List<String> command, Path log, boolean control) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (!control) pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ChildJvm(pb.start(), log, name, control);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the next reply line (without the prefix) that starts with {@code expect}. */
    String await(String expect, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the " + name + " consumer process gave no '" + expect + "' within "
                        + timeout.toSeconds() + "s; see " + log);
            }
            if (line.equals("exited")) {
                replies.add(line);
                throw new IllegalStateException("the " + name + " consumer process exited" + exitNote() + "; see " + log);
            }
            if (line.startsWith(expect)) return line.substring(expect.length()).strip();
        }
    }

    /** Sends a command and waits for its reply. */
    String command(String command, String expect, Duration timeout) throws InterruptedException {
        stdin.println(command);
        return await(expect, timeout);
    }

    private String exitNote() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? " with status " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Stops the child: {@code stop} on stdin (controlled) or SIGTERM, then waits up to 30s, then kills it. */
    @Override
    public void close() {
        try {
            stdin.println("stop");
            stdin.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (the gateway's graceful stop), then up to 30s, then kill. */
    void terminate() {
        try {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
