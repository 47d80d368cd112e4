package io.routemq.sink.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.routemq.core.sink.DeliveryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS with a test CA generated in process. */
class TlsTest {

    @TempDir
    static Path dir;
    private static TestPki.Ca ca;
    private static Path caPem;
    private static Receiver server;

    @BeforeAll
    static void start() throws Exception {
        ca = TestPki.ca("RouteMQ Test CA");
        caPem = ca.writePem(dir, "ca.pem");
        server = Receiver.https(TestPki.server(ca, "127.0.0.1", "localhost"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static DeliveryResult deliver(HttpSinkConfig cfg) throws Exception {
        try (HttpSink sink = new HttpSink(cfg)) {
            return sink.deliver(List.of(Envelopes.of("a/b", "{\"v\":1}"))).get(0);
        }
    }

    @Test
    void theCustomCaIsTrusted() throws Exception {
        int before = server.requests.size();
        assertThat(deliver(HttpSinkConfig.builder("tls").url(server.uri("/in")).ca(caPem).build())).isEqualTo(DeliveryResult.DELIVERED);
        assertThat(server.requests).hasSize(before + 1);
        assertThat(server.requests.get(before).bodyText()).contains("\"payload\":{\"v\":1}");
    }

    @Test
    void anUnknownCaFailsAsRetryWithAClearTlsError() throws Exception {
        Path otherCa = TestPki.ca("Some Other CA").writePem(dir, "other.pem");
        DeliveryResult r = deliver(HttpSinkConfig.builder("tls").url(server.uri("/in")).ca(otherCa).build());
        assertThat(r).isInstanceOf(DeliveryResult.Retry.class);
        assertThat(((DeliveryResult.Retry) r).error()).startsWith("TLS handshake with POST " + server.uri("/in") + " failed: ")
                .contains("set tls.ca to the PEM file of the CA that signed it");
    }

    @Test
    void theJdkDefaultTrustStoreDoesNotKnowTheTestCa() throws Exception {
        DeliveryResult r = deliver(HttpSinkConfig.builder("tls").url(server.uri("/in")).build());
        assertThat(((DeliveryResult.Retry) r).error()).startsWith("TLS handshake");
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        try (Receiver other = Receiver.https(TestPki.server(ca, "other.example"))) {
            DeliveryResult r = deliver(HttpSinkConfig.builder("tls").url(other.uri("/in")).ca(caPem).build());
            assertThat(((DeliveryResult.Retry) r).error()).startsWith("TLS handshake").contains("does not name this host");
        }
    }

    @Test
    void anHttpsUrlOnAPlainHttpServerSaysSo() throws Exception {
        try (Receiver plain = Receiver.http()) {
            java.net.URI u = java.net.URI.create(plain.uri("/in").toString().replace("http:", "https:"));
            DeliveryResult r = deliver(HttpSinkConfig.builder("tls").url(u).ca(caPem).connectTimeout(java.time.Duration.ofMillis(500)).build());
            // The plain server either waits for a request line (the handshake times out) or, when the ClientHello's
            // random bytes happen to hold a line break, answers 400 in plain text: both errors must say to check HTTPS.
            assertThat(((DeliveryResult.Retry) r).error()).isIn(
                    "connect to POST " + u + " timed out after 500ms (timeout.connect; it includes the TLS handshake, so also check that"
                            + " the server speaks HTTPS)",
                    "TLS handshake with POST " + u + " failed: SSLException: Unrecognized SSL message, plaintext connection? (check that"
                            + " the URL really serves HTTPS)");
        }
    }

    @Test
    void insecureWorksAndWarns() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(HttpSink.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try (Receiver other = Receiver.https(TestPki.server(TestPki.ca("Unknown CA"), "other.example"))) {
            assertThat(deliver(HttpSinkConfig.builder("tls").url(other.uri("/in")).insecure(true).build())).isEqualTo(DeliveryResult.DELIVERED);
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("TLS verification is OFF (tls.insecure: true)");
        });
    }

    @Test
    void aMissingOrEmptyCaFileIsAClearConfigError() throws Exception {
        HttpSinkConfig missing = HttpSinkConfig.builder("tls").url(server.uri("/in")).ca(dir.resolve("nope.pem")).build();
        assertThatThrownBy(() -> new HttpSink(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sinks.tls.http.tls.ca: cannot read the CA file").hasMessageContaining("nope.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        HttpSinkConfig none = HttpSinkConfig.builder("tls").url(server.uri("/in")).ca(empty).build();
        assertThatThrownBy(() -> new HttpSink(none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no certificate");
    }
}
