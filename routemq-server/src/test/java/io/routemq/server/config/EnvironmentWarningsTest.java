package io.routemq.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code routemq check} tests the machine too: ports in use and unusable directories are warnings at file:line. */
class EnvironmentWarningsTest {

    @TempDir
    Path dir;

    private List<String> warnings(String yaml, boolean environment) {
        ConfigLoader loader = new ConfigLoader(Map.of());
        if (environment) loader.checkingEnvironment();
        return loader.parse(yaml, "routemq.yaml").warnings();
    }

    @Test
    void portsInUseAndUnusableDirectoriesAreWarnings() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        try (ServerSocket admin = new ServerSocket(); ServerSocket broker = new ServerSocket()) {
            admin.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            broker.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String yaml = """
                    broker:
                      bind: 127.0.0.1
                      port: %d
                      dataDir: '%s'
                    routes:
                      - { topic: a/#, to: [ingest] }
                    sinks:
                      ingest: { http: { urls: [http://127.0.0.1:9/in] } }
                    queue:
                      dir: '%s'
                    admin:
                      bind: 127.0.0.1
                      port: %d
                    """.formatted(broker.getLocalPort(), file.resolve("broker"), file, admin.getLocalPort());
            assertThat(warnings(yaml, true)).containsExactly(
                    "routemq.yaml:13:3 admin.port: port " + admin.getLocalPort() + " on 127.0.0.1 is already in use: 'routemq run' "
                            + "cannot start the admin server there (stop what uses it, or choose another port)",
                    "routemq.yaml:3:3 broker.port: port " + broker.getLocalPort() + " on 127.0.0.1 is already in use: 'routemq run' "
                            + "cannot start the embedded broker there (stop what uses it, or choose another port)",
                    "routemq.yaml:4:3 broker.dataDir: '" + file.resolve("broker") + "' cannot be created: " + file
                            + " is a file: 'routemq run' refuses to start (choose a writable directory, or fix its permissions)",
                    "routemq.yaml:10:3 queue.dir: '" + file + "' is a file, not a directory: 'routemq run' refuses to start "
                            + "(choose a writable directory, or fix its permissions)");
            // run does not probe at load: it finds the same when it starts
            assertThat(warnings(yaml, false)).isEmpty();
        }
    }

    @Test
    void anAddressThatIsNotThisMachinesIsAWarningAtBrokerBind() {
        String yaml = """
                broker:
                  bind: 10.255.255.1
                  port: 0
                  inMemory: true
                routes:
                  - { topic: a/#, to: [ingest] }
                sinks:
                  ingest: { http: { urls: [http://127.0.0.1:9/in] } }
                queue: { dir: '%s' }
                admin: { enabled: false }
                """.formatted(dir.resolve("queue"));
        // port 0 is not probed; a fixed port on a foreign address is
        assertThat(warnings(yaml, true)).isEmpty();
        assertThat(warnings(yaml.replace("port: 0", "port: 18830"), true)).singleElement().asString()
                .startsWith("routemq.yaml:2:3 broker.bind: '10.255.255.1': cannot listen there (")
                .endsWith("'routemq run' cannot start the embedded broker (use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)");
    }

    @Test
    void freePortsAndWritableDirectoriesGiveNoWarning() throws Exception {
        String yaml = """
                broker: { port: 0, inMemory: true }
                routes:
                  - { topic: a/#, to: [ingest] }
                sinks:
                  ingest: { http: { urls: [http://127.0.0.1:9/in] } }
                queue: { dir: '%s' }
                admin: { port: 0 }
                """.formatted(dir.resolve("new/queue"));
        assertThat(warnings(yaml, true)).isEmpty();
    }
}
