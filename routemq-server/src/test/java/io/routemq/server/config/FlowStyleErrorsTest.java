package io.routemq.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.routemq.server.config.ConfigErrorsTest.SINKS;
import static io.routemq.server.config.ConfigErrorsTest.error;
import static io.routemq.server.config.ConfigErrorsTest.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code {param}} topic written without quotes where YAML reads {@code {} as a map (flow style, or the start of a
 * value), and {@code to: {x}} for {@code to: [x]}: each is one error at the topic's line and column that says to
 * quote it (or to use brackets), with the corrected text.
 */
class FlowStyleErrorsTest {

    static final String QUOTE = "; in flow style ({ ... } and [ ... ]) quote every value that has a '{')";

    @Test
    void aParamTopicInAFlowListOfRoutes() {
        String yaml = SINKS + "routes: [{topic: a/{id}/b, to: [ingest]}]\n";
        assertThat(error(yaml)).isEqualTo("routemq.yaml:4:18: the topic 'a/{id}/b' must be quoted: YAML reads its '{' as the start "
                + "of a map (write topic: 'a/{id}/b'" + QUOTE);
    }

    @Test
    void aParamTopicInAFlowMapEndingWithAParamOrStartingWithOne() {
        assertThat(error(SINKS + "routes:\n  - { topic: plant/{line}/machine/{id}, to: [ingest] }\n"))
                .isEqualTo("routemq.yaml:5:14: the topic 'plant/{line}/machine/{id}' must be quoted: YAML reads its '{' as the "
                        + "start of a map (write topic: 'plant/{line}/machine/{id}'" + QUOTE);
        assertThat(error(SINKS + "routes:\n  - { topic: {deviceId}/data, to: [ingest] }\n"))
                .startsWith("routemq.yaml:5:14: the topic '{deviceId}/data' must be quoted");
        // block style is fine with a '{' inside a value, but not at its start
        assertThat(error(SINKS + "routes:\n  - topic: {deviceId}/data\n    to: [ingest]\n"))
                .startsWith("routemq.yaml:5:12: the topic '{deviceId}/data' must be quoted")
                .contains("(write topic: '{deviceId}/data'");
    }

    @Test
    void aParamTopicInAFlowListOfExcludes() {
        String yaml = SINKS + "routes:\n  - { topic: 'a/{x}', exclude: [a/{x...}/test], to: [ingest] }\n";
        assertThat(error(yaml)).isEqualTo("routemq.yaml:5:33: the topic 'a/{x...}/test' must be quoted: YAML reads its '{' as the "
                + "start of a map (write 'a/{x...}/test'" + QUOTE);
    }

    @Test
    void quotedTopicsAndBlockStyleStillLoad() throws Exception {
        GatewayConfig c = new ConfigLoader(Map.of()).parse(SINKS + """
                routes:
                  - { topic: 'a/{id}/b', to: [ingest] }
                  - topic: c/{id}/d
                    to: [archive]
                """, "routemq.yaml").config();
        assertThat(c.routes()).extracting(RouteConfig::topic).containsExactly("a/{id}/b", "c/{id}/d");
    }

    @Test
    void bracesForBracketsInTo() {
        assertThat(errors(SINKS + "routes:\n  - topic: a/b\n    to: {ingest}\n")).containsExactly(
                "routemq.yaml:6:9 routes[0].to: expected a list, got {ingest}, which YAML reads as a map (write to: [ingest] with "
                        + "square brackets)");
        assertThat(errors(SINKS + "routes:\n  - { topic: a/b, to: {ingest, archive} }\n")).containsExactly(
                "routemq.yaml:5:23 routes[0].to: expected a list, got {ingest, archive}, which YAML reads as a map (write to: "
                        + "[ingest, archive] with square brackets)");
    }
}
