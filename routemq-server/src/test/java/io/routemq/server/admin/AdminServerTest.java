package io.routemq.server.admin;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The admin HTTP server over real sockets: its endpoints, and that it closes requests that never finish. */
class AdminServerTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);

    private PrometheusMeterRegistry registry;
    private AdminServer server;

    @BeforeEach
    void start() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("routemq.test.things").increment(3);
        server = AdminServer.start("127.0.0.1", 0, registry,
                () -> new HealthReport(true, Map.of("queues", Map.of())),
                () -> new HealthReport(false, Map.of("reasons", List.of("the gateway is shutting down"))), REQUEST_TIMEOUT);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void endpointsAnswer() throws Exception {
        HttpResponse<String> health = send("GET", "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(health.body()).startsWith("{\"status\":\"UP\"");

        HttpResponse<String> ready = send("GET", "/ready?probe=1");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"NOT_READY\"").contains("the gateway is shutting down");

        HttpResponse<String> metrics = send("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("routemq_test_things_total 3.0");

        HttpResponse<String> head = send("HEAD", "/health");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();

        assertThat(send("POST", "/health").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsSelectedByNameAndBadQueriesNamed() throws Exception {
        registry.counter("routemq.test.others").increment(2);
        String all = send("GET", "/metrics").body();
        assertThat(all).contains("routemq_test_things_total 3.0").contains("routemq_test_others_total 2.0");

        HttpResponse<String> one = send("GET", "/metrics?name[]=routemq_test_things_total");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("routemq_test_things_total 3.0").doesNotContain("others");
        // brackets encoded, as clients send them; two names
        String two = send("GET", "/metrics?name%5B%5D=routemq_test_things_total&name%5B%5D=routemq_test_others_total").body();
        assertThat(two).contains("routemq_test_things_total 3.0").contains("routemq_test_others_total 2.0");
        assertThat(send("GET", "/metrics?name[]=nothing_of_that_name").body()).doesNotContain("routemq_test");

        HttpResponse<String> unknown = send("GET", "/metrics?names=x");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("unknown query parameter 'names'; /metrics takes only name[]=<metric name>\n");
        // a malformed escape, which the JDK client will not send: over a socket
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET /metrics?name[]=%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("bad query 'name[]=%zz': ");
        }
        assertThat(send("GET", "/metrics?name[]=").statusCode()).isEqualTo(400);
    }

    @Test
    void aRequestThatNeverFinishesIsClosedByTheServer() throws Exception {
        for (String partial : new String[] {"GET /hea", "GET /health HTTP/1.1\r\nHost: x\r\n", ""}) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write(partial.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long start = System.nanoTime();
                InputStream in = s.getInputStream();
                int read;
                try {
                    read = in.read();
                } catch (SocketTimeoutException e) {
                    fail("the server kept a connection with an incomplete request (" + printable(partial) + ") open for 30s");
                    return;
                } catch (SocketException e) {
                    read = -1; // reset: closed as well
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(read).as("closed without an answer").isEqualTo(-1);
                System.out.println("[admin] incomplete request " + printable(partial) + " closed by the server after " + ms
                        + " ms (request timeout " + REQUEST_TIMEOUT.toMillis() + " ms)");
            }
        }
        // the server still answers afterwards
        assertThat(send("GET", "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anOversizedRequestHeadIsRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            String head = "GET /health HTTP/1.1\r\nX-Big: " + "a".repeat(HttpConnections.MAX_HEAD_BYTES) + "\r\n\r\n";
            try {
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException e) {
                return; // closed while we were still writing: refused as well
            }
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 431");
        } catch (SocketException e) {
            // reset after the 431: refused
        }
    }

    private static String printable(String s) {
        return "'" + s.replace("\r", "\\r").replace("\n", "\\n") + "'";
    }
}
