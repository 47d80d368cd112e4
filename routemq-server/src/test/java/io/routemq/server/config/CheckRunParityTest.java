package io.routemq.server.config;

import io.routemq.sink.http.BodyFormat;
import io.routemq.sink.http.UrlMode;
import io.routemq.sink.http.HttpSinkConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.routemq.server.config.ConfigErrorsTest.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression tests for configs that {@code check} accepted and {@code run} then refused: each is now refused when
 * the file is loaded, at the key the user wrote.
 */
class CheckRunParityTest {
    static final String ROUTE = "routes:\n  - { topic: a/b, to: [ingest] }\nsinks:\n  ingest:\n    http:\n";

    @Test
    void httpMaxInFlightAboveTheSinksLimit() {
        assertThat(error(ROUTE + "      urls: [http://127.0.0.1:8088/in]\n      maxInFlight: 50000\n"))
                .isEqualTo("routemq.yaml:7:20 sinks.ingest.http.maxInFlight: must be between 1 and 10000, got 50000");
    }

    @Test
    void batchWithATemplateBody() {
        assertThat(error(ROUTE + "      urls: [http://127.0.0.1:8088/in]\n      body: template\n      template: 'x'\n      batch: { size: 10 }\n"))
                .isEqualTo("routemq.yaml:9:22 sinks.ingest.http.batch.size: a batch is a JSON array of envelopes, so it needs body:"
                        + " envelope, but body is template (use body: envelope, or remove batch)");
    }

    @Test
    void sinkUrlWithAFragment() {
        assertThat(error(ROUTE + "      urls: ['http://127.0.0.1:8088/in#frag']\n"))
                .isEqualTo("routemq.yaml:6:14 sinks.ingest.http.urls[0] 'http://127.0.0.1:8088/in#frag': the url has a #fragment,"
                        + " which HTTP never sends (remove what follows '#' (write %23 for a '#' in a query))");
    }

    @Test
    void badBrokerBindNamesTheKeyTheUserWrote() {
        assertThat(error("broker:\n  bind: 'not an address!'\n" + ROUTE + "      urls: [http://127.0.0.1:8088/in]\n"))
                .startsWith("routemq.yaml:2:9 broker.bind 'not an address!': is not an address or a host name");
        assertThat(error("broker:\n  bind: 999.1.1.1\n" + ROUTE + "      urls: [http://127.0.0.1:8088/in]\n"))
                .startsWith("routemq.yaml:2:9 broker.bind '999.1.1.1': is not an IPv4 address (999 is over 255)");
        assertThat(error("admin:\n  bind: 'a b'\n" + ROUTE + "      urls: [http://127.0.0.1:8088/in]\n"))
                .startsWith("routemq.yaml:2:9 admin.bind 'a b': is not an address or a host name");
    }

    @Test
    void whatOnlyTheSinkChecksIsReportedAtTheKeyItNames() {
        // The reader does not check this pair; the HTTP sink does, and loading reports it where it is written.
        assertThat(error(ROUTE + "      urls: [http://127.0.0.1:8088/in]\n      headers: { Authorization: Bearer x }\n      auth: { bearer: t }\n"))
                .isEqualTo("routemq.yaml:7:18 sinks.ingest.http.headers.Authorization: sinks.ingest.http.headers.Authorization and auth"
                        + " are both set; keep one");
    }

    @Test
    void theHttpSinksDocumentedDefaultsAreTheOnesTheGatewayApplies() {
        GatewayConfig c = new ConfigLoader(Map.of()).parse(ROUTE + "      urls: [http://127.0.0.1:8088/in]\n", "routemq.yaml").config();
        HttpSinkConfig applied = ModuleConfigs.http(c.sinks().get("ingest"));
        HttpSinkConfig moduleDefaults = HttpSinkConfig.builder("ingest").url(applied.urls().get(0)).build();
        assertThat(applied.mode()).isEqualTo(UrlMode.FAILOVER).isEqualTo(moduleDefaults.mode());
        assertThat(applied.body()).isEqualTo(BodyFormat.ENVELOPE).isEqualTo(moduleDefaults.body());
        assertThat(applied.maxInFlight()).isEqualTo(moduleDefaults.maxInFlight());
    }
}
