package io.routemq.bench.e2e;

import io.routemq.broker.EmbeddedBroker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The broker every scenario of one bench run uses, never in the consumer's process: a private Mosquitto the bench
 * starts on a free loopback port ({@code auto} when the {@code mosquitto} binary is on the PATH, or
 * {@code mosquitto}), the embedded HiveMQ CE in the bench process (in memory, anonymous, free loopback port;
 * {@code auto} without Mosquitto, or {@code embedded}), or an external broker given by URL
 * ({@code mqtt://127.0.0.1:1883}).
 *
 * <p>The embedded broker is {@link EmbeddedBroker} with anonymous access, in memory, a free loopback port, a
 * 1,000,000-message client queue and a server receive maximum of 1024 (default 10), so that QoS 1 publishers are not
 * the limit.
 */
sealed interface BrokerTarget extends AutoCloseable {

    /** {@code mqtt://host:port}. */
    String url();

    String host();

    int port();

    /** For the report: "embedded HiveMQ CE 2025.5 (in-memory, this JVM)" or the URL. */
    String describe();

    /** The broker's process id for its CPU time, or -1 when unknown (external). */
    long pid();

    /** Messages the broker dropped so far (queue overflow, QoS 0 limits), or -1 when unknown. */
    long dropped();

    @Override
    void close();

    /**
     * Opens the broker a {@code --broker} value names.
     *
     * @throws IllegalArgumentException if the value is neither {@code embedded} nor an {@code mqtt://host:port} URL
     * @throws IllegalStateException    if the external broker does not accept TCP connections
     */
    static BrokerTarget open(String spec, java.nio.file.Path workDir) throws Exception {
        if (spec.equals("auto")) return Mosquitto.binary() != null ? Mosquitto.start(workDir) : Embedded.start();
        if (spec.equals("mosquitto")) {
            if (Mosquitto.binary() == null) {
                throw new IllegalArgumentException("--broker mosquitto: no mosquitto binary on the PATH (nor /usr/sbin); install "
                        + "mosquitto or use --broker embedded or mqtt://host:port");
            }
            return Mosquitto.start(workDir);
        }
        if (spec.equals("embedded")) return Embedded.start();
        URI uri;
        try {
            uri = URI.create(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--broker '" + spec + "' is not a URL; use auto, mosquitto, embedded or mqtt://host:port");
        }
        if (!"mqtt".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--broker '" + spec + "': use auto, mosquitto, embedded or mqtt://host:port (e.g. mqtt://127.0.0.1:1883)");
        }
        int port = uri.getPort() < 0 ? 1883 : uri.getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), 2000);
        } catch (IOException e) {
            throw new IllegalStateException("--broker " + spec + ": nothing accepts connections at " + uri.getHost() + ":" + port
                    + " (" + e.getMessage() + "); start the broker or use --broker embedded");
        }
        return new External(uri.getHost(), port);
    }

    /** An external broker. */
    record External(String host, int port) implements BrokerTarget {
        @Override
        public String url() {
            return "mqtt://" + host + ":" + port;
        }

        @Override
        public String describe() {
            return "external broker " + url();
        }

        @Override
        public long pid() {
            return -1;
        }

        @Override
        public long dropped() {
            return -1;
        }

        @Override
        public void close() {
        }
    }

    /** RouteMQ's embedded broker (HiveMQ CE) in this JVM. */
    final class Embedded implements BrokerTarget {
        private final EmbeddedBroker broker;

        private Embedded(EmbeddedBroker broker) {
            this.broker = broker;
        }

        static Embedded start() {
            EmbeddedBroker b = EmbeddedBroker.builder().bindAddress("127.0.0.1").port(0).inMemory().allowAnonymous(true)
                    .configure(c -> c.serverReceiveMaximum(1024).maxQueuedMessages(1_000_000)).build();
            b.start();
            return new Embedded(b);
        }

        @Override
        public String url() {
            return "mqtt://127.0.0.1:" + port();
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return broker.tcpPort();
        }

        @Override
        public String describe() {
            return "embedded broker (io.routemq.broker.EmbeddedBroker, HiveMQ CE, in-memory, in the bench process with the publishers, 127.0.0.1:" + port()
                    + ", serverReceiveMaximum 1024, maxQueuedMessages 1,000,000)";
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public long dropped() {
            return broker.stats().droppedMessages();
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    /**
     * A private Mosquitto in its own process on a free loopback port: anonymous, no persistence, and limits raised so
     * the broker neither drops nor throttles what the bench sends ({@code max_queued_messages 1000000},
     * {@code max_inflight_messages} = the consumers' receive maximum, which Mosquitto 2.0 does not read from the client).
     */
    final class Mosquitto implements BrokerTarget {
        private final Process process;
        private final int port;
        private final Path dir;

        private Mosquitto(Process process, int port, Path dir) {
            this.process = process;
            this.port = port;
            this.dir = dir;
        }

        /** The mosquitto binary on the PATH or in /usr/sbin, or null. */
        static Path binary() {
            String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/sbin:/usr/local/sbin";
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (d.isEmpty()) continue;
                Path p = Path.of(d, "mosquitto");
                if (Files.isExecutable(p)) return p;
            }
            return null;
        }

        static Mosquitto start(Path workDir) throws Exception {
            Path dir = Files.createDirectories(workDir.resolve("mosquitto"));
            Exception last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                int port;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
                Path conf = dir.resolve("mosquitto.conf");
                Files.writeString(conf, "# generated by routemq bench\n"
                        + "listener " + port + " 127.0.0.1\n"
                        + "allow_anonymous true\n"
                        + "persistence false\n"
                        + "max_queued_messages 1000000\n"
                        + "max_inflight_messages " + ConsumerMain.RECEIVE_MAXIMUM + "\n"
                        + "log_dest file " + dir.resolve("mosquitto.log") + "\n"
                        + "log_type error\nlog_type warning\n", StandardCharsets.UTF_8);
                Process p = new ProcessBuilder(binary().toString(), "-c", conf.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < deadline && p.isAlive()) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                        return new Mosquitto(p, port, dir);
                    } catch (IOException e) {
                        last = e;
                        Thread.sleep(50);
                    }
                }
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("could not start mosquitto on a free port (see " + dir.resolve("mosquitto.out")
                    + "): " + last + "; use --broker embedded or mqtt://host:port");
        }

        @Override
        public String url() {
            return "mqtt://127.0.0.1:" + port;
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public String describe() {
            return "private " + version() + " started by the bench (own process, 127.0.0.1:" + port + ", no persistence, "
                    + "max_queued_messages 1000000, max_inflight_messages " + ConsumerMain.RECEIVE_MAXIMUM + ")";
        }

        private static String version() {
            try {
                Process p = new ProcessBuilder(binary().toString(), "-h").redirectErrorStream(true).start();
                String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("mosquitto");
                p.waitFor(5, TimeUnit.SECONDS);
                return first.strip();
            } catch (IOException e) {
                return "mosquitto";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "mosquitto";
            }
        }

        @Override
        public long dropped() {
            return -1;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
