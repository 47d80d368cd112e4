package io.routemq.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.routemq.broker.Passwords;
import io.routemq.broker.internal.PasswordFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code routemq broker} and {@code routemq broker passwd} in child JVMs. */
class BrokerCommandTest {

    @TempDir
    Path dir;

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BrokerCommand.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The command line of {@link #java(String...)}, run in {@code workDir} (see {@link #untilReady}). */
    static List<String> javaIn(Path workDir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", workDir.toString()));
        cmd.addAll(java(args));
        return cmd;
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String stdin, String... args) throws Exception {
        Process p = new ProcessBuilder(java(args)).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void passwdAddsChangesAndDeletesUsersWithoutEchoingThePassword() throws Exception {
        Path file = dir.resolve("conf/passwd");
        Result add = run("s3cret-Pw\n", "passwd", file.toString(), "alice", "--iterations", "1000");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("Added user 'alice'").doesNotContain("s3cret");
        assertThat(add.err()).doesNotContain("s3cret");
        String hash = PasswordFile.read(file).get("alice");
        assertThat(hash).startsWith("$pbkdf2-sha256$1000$");
        assertThat(Passwords.verify("s3cret-Pw".getBytes(StandardCharsets.UTF_8), hash)).isTrue();

        Result change = run("other\n", "passwd", file.toString(), "alice", "--iterations", "1000");
        assertThat(change.out()).contains("Changed the password of user 'alice'");
        assertThat(Passwords.verify("other".getBytes(StandardCharsets.UTF_8), PasswordFile.read(file).get("alice"))).isTrue();

        assertThat(run("\n", "passwd", file.toString(), "bob").exit()).isEqualTo(1); // empty password
        Result delete = run(null, "passwd", file.toString(), "alice", "--delete");
        assertThat(delete.exit()).isZero();
        assertThat(PasswordFile.read(file)).isEmpty();
    }

    @Test
    void brokerRunsStandaloneAndPrintsOneReadyLine() throws Exception {
        // a gateway config: the broker reads its broker: section with the gateway's keys, and ignores the rest
        Path config = Files.writeString(dir.resolve("routemq.yaml"), """
                broker:
                  enabled: true
                  bind: 127.0.0.1
                  port: 0
                  inMemory: true
                  allowAnonymous: true
                  queue: { maxPerClient: 1000, overflow: discardOldest }
                routes:
                  - topic: plant/#
                    to: [ingest]
                sinks:
                  ingest:
                    http: { urls: [http://127.0.0.1:9/ingest] }
                """);
        Process p = new ProcessBuilder(java("--config", config.toString(), "--ws-port", "0"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("RouteMQ broker ready:")) {
                line = out.readLine(); // log lines (the test logback config logs to stdout)
            }
            assertThat(line).matches("RouteMQ broker ready: mqtt://127\\.0\\.0\\.1:\\d+ ws://127\\.0\\.0\\.1:\\d+/mqtt \\(in-memory\\)");
            Matcher m = Pattern.compile("mqtt://127\\.0\\.0\\.1:(\\d+)").matcher(line);
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));
            Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port)
                    .buildBlocking();
            c.connect();
            c.disconnect();
            p.destroy(); // SIGTERM: the shutdown hook closes the broker
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // port released
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aFirstRunWithoutUsersSaysHowToAddOneAndThatWorks() throws Exception {
        Path config = Files.writeString(dir.resolve("first.yaml"), "broker:\n  persistence: memory\n");
        List<String> lines = untilReady(java("--config", config.toString(), "--port", "0"), 2, null);
        assertThat(lines.get(0)).startsWith("RouteMQ broker ready: mqtt://127.0.0.1:");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("No users and anonymous access is off, so every client is refused. Add a"
                + " user with 'routemq broker passwd broker.passwd USER' and restart with --password-file broker.passwd, or restart"
                + " with --allow-anonymous (this broker listens on 127.0.0.1 only).");

        // follow the hint: add a user, start with --password-file; a client logs in and no hint is printed
        // as the hint writes it: a relative file name (a file named 'passwd' would read as the subcommand)
        Path passwd = dir.resolve("broker.passwd");
        assertThat(run("pw-1\n", "passwd", passwd.toString(), "alice", "--iterations", "1000").exit()).isZero();
        List<String> second = untilReady(javaIn(dir, "--config", config.toString(), "--port", "0", "--password-file",
                "broker.passwd"), 1, port -> {
            Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port)
                    .buildBlocking();
            c.connectWith().simpleAuth().username("alice").password("pw-1".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            c.disconnect();
        });
        assertThat(second).hasSize(1);
    }

    /**
     * Starts the broker, collects the ready line and the lines the CLI prints after it (log lines skipped) until
     * {@code lines} are there or 5 s pass, runs {@code whileRunning} with the TCP port, and stops the broker.
     */
    private static List<String> untilReady(List<String> command, int lines, java.util.function.IntConsumer whileRunning)
            throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.BlockingQueue<String> printed = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = out.readLine()) != null) {
                    if (!l.isBlank() && !l.matches("^\\d\\d:\\d\\d:.*") && !l.startsWith("\tat ")) {
                        printed.add(l);
                    }
                }
            } catch (java.io.IOException ended) {
                // the process ended
            }
        });
        try {
            List<String> got = new ArrayList<>();
            String ready = printed.poll(60, TimeUnit.SECONDS);
            assertThat(ready).startsWith("RouteMQ broker ready:");
            got.add(ready);
            String next;
            while (got.size() < lines && (next = printed.poll(5, TimeUnit.SECONDS)) != null) {
                got.add(next);
            }
            if (whileRunning != null) {
                Matcher m = Pattern.compile("mqtt://127\\.0\\.0\\.1:(\\d+)").matcher(ready);
                assertThat(m.find()).isTrue();
                whileRunning.accept(Integer.parseInt(m.group(1)));
            }
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
            printed.drainTo(got);
            return got;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void portInUseGivesAClearErrorAndExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path config = Files.writeString(dir.resolve("m.yaml"), "broker:\n  persistence: memory\n");
            Result r = run(null, "--config", config.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("routemq broker: Cannot start the broker's TCP listener: port "
                    + taken.getLocalPort() + " on 127.0.0.1 is already in use");
            assertThat(r.out()).doesNotContain("RouteMQ broker ready");
        }
    }

    @Test
    void missingPasswordFileGivesAClearError() throws Exception {
        Path config = Files.writeString(dir.resolve("b.yaml"), "broker:\n  port: 0\n  passwordFile: missing-passwd\n");
        Result r = run(null, "--config", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(config + ":3:17 broker.passwordFile 'missing-passwd': file not found");
    }
}
