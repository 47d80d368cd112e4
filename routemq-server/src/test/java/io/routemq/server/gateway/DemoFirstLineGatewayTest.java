package io.routemq.server.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.routemq.server.gateway.GatewayTestSupport.report;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code routemq run} without a config (the demo) while 127.0.0.1:1883 is taken: the very first line printed names
 * the embedded broker's address and the free port it uses instead, and that port takes a QoS 1 publish. The child
 * runs in a temporary working directory (the demo's ./data) with {@code ROUTEMQ_ADMIN_PORT=0}, so it runs next to
 * anything else on this machine.
 */
class DemoFirstLineGatewayTest {
    static final Pattern BROKER = Pattern.compile("embedded MQTT broker on 127\\.0\\.0\\.1 port (\\d+) \\(mqtt://127\\.0\\.0\\.1:(\\d+)\\)");

    @Test
    void theFirstLineNamesTheBrokersFallbackPort(@TempDir Path tmp) throws Exception {
        ServerSocket holder = holdPort1883(); // null when another process (a local Mosquitto) already has it
        Path out = Path.of("target", "child-logs", "demo-first-line.log").toAbsolutePath();
        try (ChildGateway child = ChildGateway.start(tmp.resolve("work"), Map.of("ROUTEMQ_ADMIN_PORT", "0"), out, "run")) {
            child.awaitOutput("RouteMQ gateway running", Duration.ofSeconds(180));
            String first = child.firstLine();
            report("demo-first-line", "first line: " + first);
            Matcher m = BROKER.matcher(first);
            assertThat(m.find()).as("the first line names the embedded broker; output:\n%s", child.output()).isTrue();
            int port = Integer.parseInt(m.group(1));
            assertThat(port).isNotEqualTo(1883).isEqualTo(Integer.parseInt(m.group(2)));
            assertThat(first).contains("port 1883 is taken");
            try (TestPublisher pub = TestPublisher.connect(port, "pub-demo-first-line")) {
                TestPublisher.awaitAll(java.util.List.of(pub.publish("demo/dev-1/telemetry", "{\"temp\": 21.5}")));
                assertThat(pub.acked()).as("the port on the first line is the demo's broker").isEqualTo(1);
            }
            child.sigterm();
            assertThat(child.waitFor(Duration.ofSeconds(60))).isTrue();
        } finally {
            if (holder != null) holder.close();
        }
    }

    /** Takes 127.0.0.1:1883 for the test, or returns null when it is already taken. */
    static ServerSocket holdPort1883() throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress("127.0.0.1", 1883));
            return s;
        } catch (IOException taken) {
            s.close();
            return null;
        }
    }
}
