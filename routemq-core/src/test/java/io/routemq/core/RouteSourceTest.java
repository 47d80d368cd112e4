package io.routemq.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source label a route carries for listings (set by generated controller route files). */
class RouteSourceTest {
    @Test
    void sourceIsKeptOnTheRouteAndAbsentByDefault() {
        Router router = Router.create();
        router.on("a/{id}", TestSupport.NOOP).source("com.acme.Devices#data");
        router.on("b", TestSupport.NOOP);
        RouteTable table = router.build();
        assertThat(table.routes().get(0).source()).isEqualTo("com.acme.Devices#data");
        assertThat(table.routes().get(1).source()).isNull();
        assertThat(new Route(0, "n", TopicPattern.parse("c"), TestSupport.NOOP, java.util.List.of(), java.util.List.of(), 0,
                null, 1, java.util.List.of(), false, true, ErrorPolicy.ack(), null).source()).isNull();
        assertThatThrownBy(() -> router.on("c", TestSupport.NOOP)).isInstanceOf(IllegalStateException.class);
    }
}
