package io.routemq.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Small helpers for tests: real clients against the broker under test. */
final class Mqtt {
    private Mqtt() {
    }

    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Mqtt5ClientBuilder v5(int port) {
        return MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port).identifier(id("v5"));
    }

    static Mqtt3ClientBuilder v3(int port) {
        return MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1").serverPort(port).identifier(id("v3"));
    }

    static Mqtt5ClientBuilder v5ws(int port, String path) {
        return v5(port).webSocketConfig().serverPath(path.substring(1)).applyWebSocketConfig();
    }

    static Mqtt3ClientBuilder v3ws(int port, String path) {
        return v3(port).webSocketConfig().serverPath(path.substring(1)).applyWebSocketConfig();
    }

    static Mqtt5BlockingClient connect5(int port) {
        Mqtt5BlockingClient c = v5(port).buildBlocking();
        c.connect();
        return c;
    }

    static Mqtt3BlockingClient connect3(int port) {
        Mqtt3BlockingClient c = v3(port).buildBlocking();
        c.connect();
        return c;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Result of a finished child process. */
    record Run(int exit, String out, String err) {
    }

    static Run run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return runWithInput(timeoutSeconds, null, command);
    }

    static Run runWithInput(long timeoutSeconds, String stdin, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("run", ".out");
        Path err = Files.createTempFile("run", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(utf8(stdin));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Run(-1, Files.readString(out), Files.readString(err) + "\n<timed out after " + timeoutSeconds + " s>");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<String> javaCommand(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
