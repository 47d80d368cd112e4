package io.routemq.server.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A taken admin port fails the start before anything else starts: the embedded broker never starts (its data
 * directory is never created), no queue is opened, and the error names {@code admin.port} and the port.
 */
class AdminPortFirstGatewayTest {

    @Test
    void aTakenAdminPortFailsTheStartBeforeTheBrokerAndTheQueues(@TempDir Path tmp) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            Path file = write(tmp, "routemq.yaml", """
                    broker:
                      enabled: true
                      port: 0
                      dataDir: '%s'
                    routes:
                      - { name: a, topic: admin-first/#, to: [ingest] }
                    sinks:
                      ingest: { http: { urls: [http://127.0.0.1:9/ingest] } }
                    queue:
                      dir: '%s'
                    admin:
                      port: %d
                    """.formatted(tmp.resolve("broker-data").toAbsolutePath(), tmp.resolve("queue").toAbsolutePath(), port));
            long t0 = System.nanoTime();
            Throwable failure = catchThrowable(() -> Gateway.start(load(file), false));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(tmp.resolve("broker-data")).as("the embedded broker never started").doesNotExist();
            assertThat(tmp.resolve("queue")).as("no queue was opened").doesNotExist();
            assertThat(failure).isNotNull().hasMessageContaining("admin.port " + port).hasMessageContaining("already in use");
            report("admin-port-first", "admin.port " + port + " taken: the start failed after " + ms + " ms, broker and queues untouched");
        }
    }
}
