package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.routemq.core.TestSupport.NOOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The MQTT subscriptions a route table needs. */
class SubscriptionsTest {

    private static List<String> filters(RouteTable t) {
        return t.subscriptions().stream().map(Subscription::topicFilter).toList();
    }

    @Test
    void paramsBecomeWildcards() {
        Router r = Router.create();
        r.on("sensors/{deviceId}/data", NOOP);
        r.on("files/{path...}", NOOP);
        r.on("x/{a}/{b}/{rest...}", NOOP);
        assertThat(filters(r.build())).containsExactly("sensors/+/data", "files/#", "x/+/+/#");
    }

    @Test
    void duplicatesAreMergedWithTheHighestQos() {
        Router r = Router.create();
        r.on("a/{x}", NOOP).qos(0);
        r.on("a/+", NOOP).qos(2);
        r.on("a/{y}", NOOP).qos(1);
        r.on("b", NOOP).qos(1);
        r.on("b", NOOP).qos(0);
        assertThat(r.build().subscriptions()).extracting(Subscription::filter, Subscription::qos)
                .containsExactly(tuple("a/+", 2), tuple("b", 1));
    }

    @Test
    void coveredFiltersAreMergedIntoTheCoveringOneWithTheMaxQos() {
        Router r = Router.create();
        r.on("a/b", NOOP).qos(2);
        r.on("a/+", NOOP).qos(1);
        r.on("a/#", NOOP).qos(0);
        assertThat(r.build().subscriptions()).extracting(Subscription::filter, Subscription::qos)
                .containsExactly(tuple("a/#", 2));
    }

    @Test
    void coverageFollowsMqttMatching() {
        Router r = Router.create();
        r.on("a", NOOP).qos(1);          // covered by a/# (parent level)
        r.on("a/#", NOOP);
        r.on("x/+/z", NOOP).qos(2);      // not covered by x/y/z nor x/+
        r.on("x/y/z", NOOP);             // covered by x/+/z
        r.on("x/+", NOOP);
        r.on("p/+/#", NOOP).qos(1);      // covered by p/#
        r.on("p/#", NOOP);
        r.on("q/+", NOOP);               // covered by q/+/#: its '#' includes the parent level
        r.on("q/+/#", NOOP).qos(2);
        r.on("m/#", NOOP);               // not covered by m/+/#: that one does not match 'm'
        r.on("m/+/#", NOOP).qos(1);
        assertThat(r.build().subscriptions()).extracting(Subscription::filter, Subscription::qos)
                .containsExactlyInAnyOrder(tuple("a/#", 1), tuple("x/+/z", 2), tuple("x/+", 0), tuple("p/#", 1),
                        tuple("q/+/#", 2), tuple("m/#", 1));
    }

    @Test
    void dollarTopicsAreNotCoveredByLeadingWildcards() {
        Router r = Router.create();
        r.on("#", NOOP);
        r.on("$SYS/broker/clients", NOOP).qos(1);
        r.on("+/broker/clients", NOOP).qos(2);
        r.on("$SYS/#", NOOP);
        r.on("$SYS/x", NOOP).qos(2);
        r.on("+/#", NOOP);
        assertThat(r.build().subscriptions()).extracting(Subscription::filter, Subscription::qos)
                .containsExactlyInAnyOrder(tuple("#", 2), tuple("$SYS/#", 2));
    }

    @Test
    void eachFilterGetsTheHighestQosOfItsRoutes() {
        Router r = Router.create();
        r.on("a/1", NOOP).qos(1);
        r.on("b/+", NOOP).qos(0);
        r.on("b/1", NOOP).qos(2);
        r.on("c/{x}", NOOP).qos(1);
        r.on("c/{y}", NOOP).qos(0);
        assertThat(r.build().subscriptions()).extracting(Subscription::filter, Subscription::qos)
                .containsExactly(tuple("a/1", 1), tuple("b/+", 2), tuple("c/+", 1));
    }

    @Test
    void sharedRoutesBecomeSharePrefixedAndAreNotMergedWithNonShared() {
        Router r = Router.create();
        r.on("sensors/#", NOOP).shared("workers", 3).qos(1);
        r.on("sensors/{id}/data", NOOP).shared("workers", 2);   // merged into the shared sensors/#
        r.on("sensors/x/data", NOOP).qos(2);                    // not shared: kept on its own
        r.on("sensors/+/data", NOOP).shared("other", 1);        // another share group: kept
        List<Subscription> subs = r.build().subscriptions();
        assertThat(subs).extracting(Subscription::topicFilter, Subscription::qos, Subscription::workers, Subscription::shared)
                .containsExactlyInAnyOrder(
                        tuple("$share/workers/sensors/#", 1, 3, true),
                        tuple("sensors/x/data", 2, 1, false),
                        tuple("$share/other/sensors/+/data", 0, 1, true));
        Subscription shared = subs.stream().filter(Subscription::shared).filter(s -> s.sharedGroup().equals("workers")).findFirst().orElseThrow();
        assertThat(shared.filter()).isEqualTo("sensors/#");
        assertThat(shared.topicFilter("$queue")).isEqualTo("$queue/workers/sensors/#");
        assertThat(shared.toString()).contains("$share/workers/sensors/#").contains("x3");
    }

    @Test
    void sessionsArePlannedSeparately() {
        Router r = Router.create();
        r.on("a/#", NOOP).session("plant");
        r.on("a/b", NOOP).session("office").qos(1);
        r.on("a/c", NOOP).qos(2);                    // default session
        r.on("a/d", NOOP).session("plant").qos(2);   // covered within 'plant'
        r.group("g", g -> g.on("h", NOOP).session("office"));
        List<Subscription> subs = r.build().subscriptions();
        assertThat(subs).extracting(Subscription::session, Subscription::filter, Subscription::qos)
                .containsExactlyInAnyOrder(
                        tuple("plant", "a/#", 2),
                        tuple("office", "a/b", 1),
                        tuple("office", "g/h", 0),
                        tuple(null, "a/c", 2));
        assertThat(subs.stream().filter(s -> "office".equals(s.session())).findFirst().orElseThrow().toString()).contains("@office");
    }

    @Test
    void sharedAndSessionTogether() {
        Router r = Router.create();
        r.on("t/#", NOOP).shared("g", 2).session("s1");
        r.on("t/#", NOOP).shared("g", 4).session("s2");
        r.on("t/x", NOOP).shared("g", 1).session("s1").qos(2);
        assertThat(r.build().subscriptions()).extracting(Subscription::session, Subscription::topicFilter, Subscription::qos, Subscription::workers)
                .containsExactlyInAnyOrder(tuple("s1", "$share/g/t/#", 2, 2), tuple("s2", "$share/g/t/#", 0, 4));
    }

    @Test
    void excludesDoNotNarrowTheSubscription() {
        Router r = Router.create();
        r.on("plant/#", NOOP).exclude("plant/test/#");
        assertThat(filters(r.build())).containsExactly("plant/#");
    }

    @Test
    void emptyTableHasNoSubscriptions() {
        assertThat(Router.create().build().subscriptions()).isEmpty();
    }

    @Test
    void subscriptionRecordValidates() {
        assertThatThrownBy(() -> new Subscription(null, "a", 3, null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Subscription(null, "a", 0, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Subscription(null, null, 0, null, 1)).isInstanceOf(NullPointerException.class);
        assertThat(new Subscription(null, "a/b", 1, null, 1).topicFilter()).isEqualTo("a/b");
    }
}
