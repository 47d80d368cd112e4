package io.routemq.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.routemq.server.config.ConfigErrorsTest.SINKS;
import static io.routemq.server.config.ConfigErrorsTest.error;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code routes[i].middleware}: shipped middleware named in the config, read and checked with file:line. */
class MiddlewareConfigTest {

    @Test
    void filterMiddlewareIsReadInOrderAsOneConditionOrAList() {
        GatewayConfig c = new ConfigLoader(Map.of()).parse(SINKS + """
                routes:
                  - topic: plant/{line}/telemetry
                    middleware:
                      - filter: { field: payload.temp, gt: 30 }
                      - filter:
                          - { field: param.line, in: [a, b] }
                          - { field: userProperty.kind, exists: true }
                    to: [ingest]
                """, "routemq.yaml").config();
        RouteConfig r = c.routes().get(0);
        assertThat(r.middleware()).hasSize(2);
        assertThat(r.middleware().get(0).name()).isEqualTo("filter");
        assertThat(((MiddlewareConfig.Filter) r.middleware().get(0)).conditions())
                .containsExactly(new RouteConfig.Filter("payload.temp", RouteConfig.Op.GT, new java.math.BigDecimal("30")));
        assertThat(((MiddlewareConfig.Filter) r.middleware().get(1)).conditions()).hasSize(2);
    }

    @Test
    void unknownMiddlewareNamesTheKeyWithDidYouMean() {
        assertThat(error(SINKS + """
                routes:
                  - topic: a/b
                    middleware:
                      - filtr: { field: topic, equals: a/b }
                    to: [ingest]
                """)).isEqualTo("routemq.yaml:7:9 routes[0].middleware[0].filtr: unknown middleware 'filtr' (did you mean 'filter'?)");
    }

    @Test
    void aMiddlewareIsOneNamedObject() {
        assertThat(error(SINKS + """
                routes:
                  - topic: a/b
                    middleware: [ filter ]
                    to: [ingest]
                """)).startsWith("routemq.yaml:6:19 routes[0].middleware[0]: expected one middleware, written as its name and its options");
    }

    @Test
    void aBadConditionIsReportedAtItsPath() {
        assertThat(error(SINKS + """
                routes:
                  - topic: a/{id}
                    middleware:
                      - filter: { field: param.nope, equals: 1 }
                    to: [ingest]
                """)).contains("routes[0].middleware[0].filter.field").contains("nope");
    }
}
