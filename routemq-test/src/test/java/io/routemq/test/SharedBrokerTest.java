package io.routemq.test;

import io.routemq.core.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A second class on the same run: programmatic routes with a dependency, on the broker the other classes use. */
class SharedBrokerTest {
    /** The broker URL every kit test class of this JVM saw; one broker means one URL. */
    static final Set<String> BROKERS = ConcurrentHashMap.newKeySet();

    static final StringBuilder greetings = new StringBuilder();

    @RegisterExtension
    static final RouteMqExtension mq = RouteMqExtension.withRouter(router());

    private static Router router() {
        Router router = Router.create();
        router.on("hello/{name}", ctx -> {
            synchronized (greetings) {
                greetings.append("hello ").append(ctx.param("name")).append(';');
            }
            ctx.publish("greetings/" + ctx.param("name"), "hi " + ctx.param("name")).join();
        });
        router.forward("archive/#").to("archive");
        router.on("plant/{line}/alarm", ctx -> { }).session("plant");
        return router;
    }

    @Test
    void theBrokerIsTheOneEveryOtherKitClassUses(RouteMqTester tester) {
        BROKERS.add(tester.brokerUrl());
        // whichever class runs second fails here if it got a broker of its own
        assertThat(BROKERS).hasSize(1);
    }

    @Test
    void aRouteOnANamedSessionRunsOnTheTestBrokerToo(RouteMqTester tester) {
        tester.publish("plant/l1/alarm", "smoke");
        assertThat(tester.awaitHandled("plant/{line}/alarm", 1)).singleElement()
                .satisfies(h -> assertThat(h.text()).isEqualTo("smoke"));
    }

    @Test
    void programmaticRoutesAndAForwardOnlyRoute(RouteMqTester tester) {
        tester.publish("hello/ada", "");
        tester.publish("archive/2026/12/07", "{\"n\":1}");

        assertThat(tester.awaitPublished("greetings/ada", 1)).singleElement()
                .satisfies(p -> assertThat(new String(p.payload())).isEqualTo("hi ada"));
        assertThat(tester.sink("archive").awaitReceived(1)).singleElement()
                .satisfies(e -> assertThat(e.topic()).isEqualTo("archive/2026/12/07"));
        assertThat(tester.awaitHandled("archive/#", 1)).hasSize(1);
        assertThat(greetings.toString()).contains("hello ada;");
    }
}
