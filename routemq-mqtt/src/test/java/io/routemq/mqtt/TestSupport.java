package io.routemq.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real brokers for tests: HiveMQ CE in process, and Mosquitto processes. */
final class TestSupport {
    private TestSupport() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean reachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachable(port)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("nothing listens on 127.0.0.1:" + port + " after " + timeout);
            Thread.sleep(50);
        }
    }

    static boolean mosquittoInstalled() {
        return Files.isExecutable(Path.of("/usr/sbin/mosquitto")) || Files.isExecutable(Path.of("/usr/bin/mosquitto"));
    }

    static String mosquittoBinary() {
        return Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "/usr/bin/mosquitto";
    }

    /** HiveMQ CE embedded on a fixed port, with file persistence in a folder, so it can be restarted. */
    static final class HiveMq implements AutoCloseable {
        final int port;
        final Path dir;
        private EmbeddedHiveMQ broker;
        private java.util.function.Supplier<com.hivemq.embedded.EmbeddedExtension> extension;

        HiveMq(Path dir) throws IOException {
            this.port = freePort();
            this.dir = dir;
            Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            Files.writeString(dir.resolve("conf/config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                      <listeners>
                        <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                      </listeners>
                      <mqtt>
                        <queued-messages><max-queue-size>200000</max-queue-size></queued-messages>
                      </mqtt>
                      <persistence><mode>file</mode></persistence>
                      <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port));
        }

        String url() {
            return "mqtt://127.0.0.1:" + port;
        }

        /** An embedded extension, made afresh for each start. */
        HiveMq extension(java.util.function.Supplier<com.hivemq.embedded.EmbeddedExtension> extension) {
            this.extension = extension;
            return this;
        }

        HiveMq start() throws Exception {
            var b = EmbeddedHiveMQ.builder().withConfigurationFolder(dir.resolve("conf")).withDataFolder(dir.resolve("data"))
                    .withExtensionsFolder(dir.resolve("extensions")).withoutLoggingBootstrap();
            if (extension != null) b.withEmbeddedExtension(extension.get());
            broker = b.build();
            broker.start().get(60, TimeUnit.SECONDS);
            return this;
        }

        void stop() throws Exception {
            if (broker != null) {
                broker.stop().get(60, TimeUnit.SECONDS);
                broker.close();
                broker = null;
            }
        }

        @Override
        public void close() throws Exception {
            stop();
        }
    }

    /**
     * A Mosquitto process on a free port with a generated configuration. {@code persistence false} is added unless
     * the configuration sets {@code persistence} itself. {@link #stop()} and {@link #start()} restart it on the same
     * port.
     */
    static final class Mosquitto implements AutoCloseable {
        final int port;
        final Path dir;
        private final Path conf;
        private Process process;

        Mosquitto(Path dir, List<String> extraConfig) throws Exception {
            this(dir, freePort(), extraConfig, true);
        }

        Mosquitto(Path dir, int port, List<String> config, boolean plainListener) throws Exception {
            this.port = port;
            this.dir = dir;
            Files.createDirectories(dir);
            List<String> lines = new ArrayList<>();
            if (plainListener) lines.add("listener " + port + " 127.0.0.1");
            lines.addAll(config);
            if (config.stream().noneMatch(l -> l.startsWith("persistence "))) lines.add("persistence false");
            lines.add("log_dest stderr");
            conf = dir.resolve("mosquitto.conf");
            Files.write(conf, lines);
            readableByBroker(dir);
            start();
        }

        /** Starts the process (again) and waits until it listens. */
        synchronized void start() throws Exception {
            if (process != null && process.isAlive()) return;
            process = new ProcessBuilder(mosquittoBinary(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
            try {
                awaitPort(port, Duration.ofSeconds(10));
            } catch (IllegalStateException e) {
                process.destroyForcibly();
                throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")), e);
            }
        }

        /** Stops the process gracefully (SIGTERM: Mosquitto saves its persistence file, if any, and exits). */
        synchronized void stop() throws Exception {
            if (process == null) return;
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            process = null;
        }

        /** The broker's log so far. */
        String log() throws IOException {
            return Files.readString(dir.resolve("mosquitto.log"));
        }

        String url() {
            return "mqtt://127.0.0.1:" + port;
        }

        /** Mosquitto started as root drops to the 'mosquitto' user: let it read the generated files. */
        private static void readableByBroker(Path dir) throws IOException {
            var dirPerms = java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
            var filePerms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Path p = dir.toAbsolutePath();
            for (int i = 0; i < 4 && p != null && !p.toString().equals("/tmp") && p.getNameCount() > 1; i++, p = p.getParent()) {
                try {
                    Files.setPosixFilePermissions(p, dirPerms);
                } catch (IOException | UnsupportedOperationException e) {
                    break;
                }
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (Files.isRegularFile(f)) Files.setPosixFilePermissions(f, filePerms);
                }
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }

        @Override
        public void close() throws Exception {
            stop();
        }
    }
}
