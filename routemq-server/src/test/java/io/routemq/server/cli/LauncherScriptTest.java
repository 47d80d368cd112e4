package io.routemq.server.cli;

import io.routemq.server.cli.RouteMqCliTest.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The launcher scripts, {@code ./routemq} and {@code bin/routemq}, run for real with {@code sh} from another
 * directory. {@code ./routemq} runs from a copy of the repository's launcher whose build stamp is fresh (its class
 * path is this test's), so it never builds: relative {@code --config} paths resolve against the caller's directory,
 * and {@code example --help} prints help instead of running the example.
 */
class LauncherScriptTest {

    Path repo;
    Path work;

    @BeforeEach
    void copyTheLauncher(@TempDir Path tmp) throws IOException {
        Path source = Path.of("").toAbsolutePath().getParent();
        assumeTrue(Files.isRegularFile(source.resolve("routemq")) && Files.isRegularFile(source.resolve(".mvn/find-jdk.sh")),
                "the repository's launcher scripts are not next to this module (" + source + ")");
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh to run the launcher with");
        repo = Files.createDirectories(tmp.resolve("repo"));
        work = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(repo.resolve(".mvn"));
        Files.createDirectories(repo.resolve("bin"));
        Files.copy(source.resolve("routemq"), repo.resolve("routemq"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(source.resolve("bin/routemq"), repo.resolve("bin/routemq"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(source.resolve(".mvn/find-jdk.sh"), repo.resolve(".mvn/find-jdk.sh"));
        Files.createDirectories(repo.resolve("routemq-server/target/classes"));
        Path stamp = repo.resolve("routemq-server/target/classpath.txt");
        Files.writeString(stamp, System.getProperty("java.class.path"));
        // newer than every file of the copy, so the launcher sees nothing to build
        Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().plusSeconds(3600)));
    }

    Run sh(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", repo.resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("ROUTEMQ_JVM_TUNING", "0");
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not exit: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aRelativeConfigResolvesAgainstTheCallersDirectory() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "bin", "javac")),
                "the launcher needs a JDK (javac next to java) and this test runs on a JRE: " + System.getProperty("java.home"));
        Files.writeString(work.resolve("mine.yaml"), """
                routes:
                  - { topic: 'rel/{id}', to: [ingest] }
                sinks:
                  ingest: { http: { urls: ['http://127.0.0.1:8088/in'] } }
                """);
        Run r = sh("routemq", "check", "--config", "mine.yaml");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("mine.yaml: OK").contains("rel/{id}");
        System.out.println("[launcher] ./routemq check --config mine.yaml from " + work + ": exit " + r.code());
    }

    @Test
    void exampleHelpPrintsHelpAndBinSaysWhereExampleAndBenchRun() throws Exception {
        Run help = sh("routemq", "example", "--help");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: ./routemq example\n").contains("examples/fleet").contains("embedded MQTT broker on 127.0.0.1 port N");
        assertThat(sh("routemq", "help", "example").out()).startsWith("Usage: ./routemq example\n");
        Run bad = sh("routemq", "example", "--fast");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("routemq example: takes no arguments, got '--fast' (see ./routemq example --help)\n");
        for (String command : List.of("example", "bench")) {
            Run bin = sh("bin/routemq", command);
            assertThat(bin.code()).isEqualTo(2);
            assertThat(bin.err()).contains("'" + command + "' needs the sources: run ./routemq " + command + " at the repository root");
        }
    }
}
