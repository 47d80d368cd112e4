package io.routemq.middleware;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A redis-server the test starts on an ephemeral port and kills, to show what happens when Redis goes away. */
final class RedisProcess implements AutoCloseable {
    final int port;
    private final Path dir;
    private Process process;

    private RedisProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Starts one, or skips the test when redis-server is not installed. */
    static RedisProcess start() throws Exception {
        String binary = binary();
        assumeTrue(binary != null, "redis-server is not on the PATH: install Redis to run this test");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisProcess r = new RedisProcess(port, Files.createTempDirectory("routemq-redis"));
        r.startAgain();
        return r;
    }

    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    /** Starts the server on its port (again, after {@link #kill()}), and waits until it accepts connections. */
    void startAgain() throws Exception {
        process = new ProcessBuilder(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port);
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once (SIGKILL) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) kill();
    }

    /** Skips the test when the machine's Redis on 6379 is absent. */
    static void assumeLocalRedis() {
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            assumeTrue(s.isConnected());
        } catch (IOException e) {
            assumeTrue(false, "no Redis on 127.0.0.1:6379 (" + e.getMessage() + "): start redis-server to run this test");
        }
    }
}
