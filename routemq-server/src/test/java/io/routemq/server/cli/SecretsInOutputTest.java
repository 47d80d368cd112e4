package io.routemq.server.cli;

import io.routemq.core.sink.Redaction;
import io.routemq.server.cli.RouteMqCliTest.Run;
import io.routemq.sink.http.HttpSinkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.routemq.server.cli.RouteMqCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * URL credentials, query tokens and secrets from {@code ${ENV}} never reach the output of {@code check} and
 * {@code routes}, their error messages, or the HTTP sink's log and error texts: all of them show a URL through
 * {@link Redaction#url(URI)}.
 */
class SecretsInOutputTest {

    /** Values that must never be printed; each is distinctive enough not to appear by chance. */
    static final Map<String, String> SECRETS = Map.of(
            "INGEST_PW", "pw-7f3a9c", "INGEST_TOKEN", "tok-51e0b2", "MQTT_PW", "mqttpw-c4d2e8",
            "BEARER", "bearer-93b7a1", "API_KEY", "apikey-0d6f44");

    static void assertNoSecret(Run r) {
        for (String secret : SECRETS.values()) {
            assertThat(r.out()).as("stdout").doesNotContain(secret);
            assertThat(r.err()).as("stderr").doesNotContain(secret);
        }
        assertThat(r.out() + r.err()).doesNotContain("ingest-user").doesNotContain("hunter2");
    }

    @Test
    void checkAndRoutesMaskUrlCredentialsQueryValuesAndEnvironmentSecrets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routemq.yaml");
        Files.writeString(file, """
                brokers:
                  plant: { url: 'mqtt://127.0.0.1:1883', username: gw, password: '${MQTT_PW}' }
                routes:
                  - { topic: 'plant/{line}/t', to: [ingest, archive] }
                sinks:
                  ingest:
                    http:
                      urls: ['http://ingest-user:${INGEST_PW}@ingest.example:8080/in?token=${INGEST_TOKEN}&v=2']
                      headers: { X-Api-Key: '${API_KEY}' }
                  archive:
                    http:
                      urls: ['https://archive.example/batch?sig=hunter2']
                      auth: { bearer: '${BEARER}' }
                """);
        RouteMqCli cli = new RouteMqCli(null, null, SECRETS);
        Run check = run(cli, "check", "--config", file.toString());
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("http://****@ingest.example:8080/in?token=****&v=****")
                .contains("https://archive.example/batch?sig=****");
        assertNoSecret(check);
        Run routes = run(cli, "routes", "--config", file.toString());
        assertThat(routes.code()).isZero();
        assertNoSecret(routes);
        Run trace = run(cli, "routes", "--config", file.toString(), "--topic", "plant/1/t");
        assertThat(trace.out()).contains("ingest, archive");
        assertNoSecret(trace);
    }

    @Test
    void configErrorsMaskTheUrlTheyQuote(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routemq.yaml");
        Files.writeString(file, """
                brokers:
                  plant: { url: 'tcp://ingest-user:${MQTT_PW}@broker.example:1883' }
                routes:
                  - { topic: a/b, to: [ingest] }
                sinks:
                  ingest:
                    http:
                      urls: ['ftp://ingest-user:${INGEST_PW}@ingest.example/in?token=${INGEST_TOKEN}', 'http://ingest-user:hunter2@/in?token=x']
                """);
        Run r = run(new RouteMqCli(null, null, SECRETS), "check", "--config", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("brokers.plant.url 'tcp://****@broker.example:1883': unsupported scheme 'tcp'")
                .contains("sinks.ingest.http.urls[0] 'ftp://****@ingest.example/in?token=****': unsupported scheme 'ftp'")
                .contains("sinks.ingest.http.urls[1] 'http://****@/in?token=****': the url has no host");
        assertNoSecret(r);
    }

    @Test
    void anMqttBrokerVariableWithCredentialsIsMaskedInItsError() throws Exception {
        Run r = run(new RouteMqCli(null, null, Map.of("MQTT_BROKER", "mqtt://ingest-user:hunter2@broker.example:1883")), "check",
                "--config", RouteMqCliTest.demo());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("environment MQTT_BROKER 'mqtt://****@broker.example:1883': credentials do not belong in the url");
        assertNoSecret(r);
        Run path = run(new RouteMqCli(null, null, Map.of("MQTT_BROKER", "ingest-user:hunter2@broker.example/x")), "check",
                "--config", RouteMqCliTest.demo());
        assertThat(path.err()).contains("environment MQTT_BROKER").contains("not a host name");
        assertNoSecret(path);
    }

    @Test
    void oneRedactionForEveryUrlTheHttpSinkShowsToo() {
        String url = "http://ingest-user:hunter2@ingest.example:8080/in?token=abc&flag&v=";
        String shown = "http://****@ingest.example:8080/in?token=****&****&v=****";
        assertThat(Redaction.url(URI.create(url))).isEqualTo(shown);
        // the HTTP sink's logs, errors and toString() use the same function
        HttpSinkConfig sink = HttpSinkConfig.builder("ingest").url(url.replace("ingest-user:hunter2@", "")).build();
        assertThat(sink.displayUrls()).isEqualTo(List.of("http://ingest.example:8080/in?token=****&****&v=****"));
        // text that is not even a URL (a space) is masked the same way, best effort
        assertThat(Redaction.url("http://ingest-user:hun ter2@host/x y?token=a b#frag")).isEqualTo("http://****@host/x y?token=****#****");
        assertThat(Redaction.url("http://host_name.example/x?k=v")).isEqualTo("http://host_name.example/x?k=****");
        assertThat(Redaction.url("http://user:pw@host_name.example/x")).isEqualTo("http://****@host_name.example/x");
        assertThat(Redaction.url("https://host.example/path")).isEqualTo("https://host.example/path");
        assertThat(Redaction.url("user:pw@host.example/x?k=v")).isEqualTo("****@host.example/x?k=****");
    }
}
