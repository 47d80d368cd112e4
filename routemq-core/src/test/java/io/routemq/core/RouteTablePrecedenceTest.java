package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which route wins when several match: specificity level by level, registration order, excludes, fan-out. */
class RouteTablePrecedenceTest {

    private static RouteTable table(String... patterns) {
        Router r = Router.create();
        for (String p : patterns) r.on(p, TestSupport.NOOP);
        return r.build();
    }

    private static String winner(RouteTable t, String topic) {
        Match m = t.match(topic);
        return m == null ? null : m.route().name();
    }

    private static List<String> all(RouteTable t, String topic) {
        return t.matchAll(topic).stream().map(m -> m.route().name()).toList();
    }

    @Test
    void literalBeatsParamBeatsMultiLevel() {
        RouteTable t = table("a/#", "a/{x}/c", "a/b/c", "a/+/c");
        assertThat(winner(t, "a/b/c")).isEqualTo("a/b/c");
        assertThat(all(t, "a/b/c")).containsExactly("a/b/c", "a/{x}/c", "a/+/c", "a/#");
        assertThat(winner(t, "a/z/c")).isEqualTo("a/{x}/c");
        assertThat(winner(t, "a/z/d")).isEqualTo("a/#");
        assertThat(winner(t, "a")).isEqualTo("a/#");
        assertThat(winner(t, "b")).isNull();
    }

    @Test
    void comparedLevelByLevelFromTheLeft() {
        // level 2 decides: the literal 'b' wins even though the other route is literal afterwards
        RouteTable t = table("a/+/c/d", "a/b/#");
        assertThat(winner(t, "a/b/c/d")).isEqualTo("a/b/#");
        assertThat(all(t, "a/b/c/d")).containsExactly("a/b/#", "a/+/c/d");
        // level 1 decides
        RouteTable t2 = table("+/b/c", "a/+/+");
        assertThat(winner(t2, "a/b/c")).isEqualTo("a/+/+");
        // a param level beats a multi-level capture at the same level
        RouteTable t3 = table("s/{rest...}", "s/{id}/x", "s/{id}/{y}");
        assertThat(winner(t3, "s/1/x")).isEqualTo("s/{id}/x");
        assertThat(winner(t3, "s/1/z")).isEqualTo("s/{id}/{y}");
        assertThat(winner(t3, "s/1/z/w")).isEqualTo("s/{rest...}");
        assertThat(t3.match("s/1/z").params()).containsExactly(Map.entry("id", "1"), Map.entry("y", "z"));
    }

    @Test
    void exactPatternBeatsParentLevelMultiWildcard() {
        RouteTable t = table("a/#", "a", "a/+");
        assertThat(winner(t, "a")).isEqualTo("a");
        assertThat(all(t, "a")).containsExactly("a", "a/#");
        assertThat(winner(t, "a/x")).isEqualTo("a/+");
    }

    @Test
    void deeperMultiLevelBeatsShallowerOne() {
        RouteTable t = table("#", "a/#", "a/b/#");
        assertThat(all(t, "a/b/c")).containsExactly("a/b/#", "a/#", "#");
        assertThat(all(t, "a/b")).containsExactly("a/b/#", "a/#", "#");
        assertThat(all(t, "a")).containsExactly("a/#", "#");
        assertThat(all(t, "x")).containsExactly("#");
        assertThat(all(t, "$SYS/a")).isEmpty();
    }

    @Test
    void tiesGoByRegistrationOrder() {
        Router r = Router.create();
        r.on("a/{x}", TestSupport.NOOP).name("first");
        r.on("a/+", TestSupport.NOOP).name("second");
        r.on("a/{y}", TestSupport.NOOP).name("third");
        r.on("a/#", TestSupport.NOOP).name("m1");
        r.on("a/{rest...}", TestSupport.NOOP).name("m2");
        RouteTable t = r.build();
        assertThat(winner(t, "a/b")).isEqualTo("first");
        assertThat(all(t, "a/b")).containsExactly("first", "second", "third", "m1", "m2");
        assertThat(t.match("a/b").params()).containsExactly(Map.entry("x", "b"));
        assertThat(all(t, "a/b/c")).containsExactly("m1", "m2");

        Router r2 = Router.create();
        r2.on("a/+", TestSupport.NOOP).name("second");
        r2.on("a/{x}", TestSupport.NOOP).name("first");
        assertThat(winner(r2.build(), "a/b")).isEqualTo("second");
    }

    @Test
    void excludedRouteFallsThroughToTheNextMostSpecific() {
        Router r = Router.create();
        r.on("plant/{line}/machine/{id}/telemetry", TestSupport.NOOP).name("telemetry").exclude("plant/test/#");
        r.on("plant/+/machine/+/+", TestSupport.NOOP).name("any-machine").exclude("+/+/+/m9/+");
        r.on("plant/#", TestSupport.NOOP).name("plant");
        RouteTable t = r.build();
        assertThat(winner(t, "plant/l1/machine/m1/telemetry")).isEqualTo("telemetry");
        assertThat(winner(t, "plant/test/machine/m1/telemetry")).isEqualTo("any-machine");
        assertThat(winner(t, "plant/test/machine/m9/telemetry")).isEqualTo("plant");
        assertThat(all(t, "plant/test/machine/m9/telemetry")).containsExactly("plant");
        assertThat(all(t, "plant/l1/machine/m9/telemetry")).containsExactly("telemetry", "plant");
        assertThat(t.resolve("plant/test/machine/m1/telemetry")).extracting(m -> m.route().name()).containsExactly("any-machine");
        assertThat(t.routes().get(0).excludes("plant/test/x")).isTrue();
        assertThat(t.routes().get(0).accepts("plant/test/machine/1/telemetry")).isFalse();
        assertThat(t.routes().get(0).accepts("plant/l/machine/1/telemetry")).isTrue();
    }

    @Test
    void excludeWithParamsAndAllExcludedMeansUnmatched() {
        Router r = Router.create();
        r.on("a/{x}", TestSupport.NOOP).exclude("a/{y}");
        RouteTable t = r.build();
        assertThat(t.match("a/b")).isNull();
        assertThat(t.matchAll("a/b")).isEmpty();
        assertThat(t.resolve("a/b")).isEmpty();
    }

    @Test
    void excludeOnTheExactAndMultiRoutesOfOneNode() {
        Router r = Router.create();
        r.on("a", TestSupport.NOOP).name("exact").exclude("a");
        r.on("a/#", TestSupport.NOOP).name("multi1").exclude("#");
        r.on("a/#", TestSupport.NOOP).name("multi2");
        RouteTable t = r.build();
        assertThat(winner(t, "a")).isEqualTo("multi2");
        assertThat(winner(t, "a/b")).isEqualTo("multi2");
    }

    @Test
    void fanoutRoutesReceiveInAdditionToTheWinner() {
        Router r = Router.create();
        r.on("sensors/{id}/temp", TestSupport.NOOP).name("temp");
        r.on("sensors/#", TestSupport.NOOP).name("audit").fanout();
        r.on("sensors/+/+", TestSupport.NOOP).name("generic");
        r.on("#", TestSupport.NOOP).name("everything").fanout();
        RouteTable t = r.build();
        assertThat(t.resolve("sensors/1/temp")).extracting(m -> m.route().name()).containsExactly("temp", "audit", "everything");
        assertThat(t.resolve("sensors/1/hum")).extracting(m -> m.route().name()).containsExactly("generic", "audit", "everything");
        // a fan-out route that is the most specific match counts once
        assertThat(t.resolve("sensors")).extracting(m -> m.route().name()).containsExactly("audit", "everything");
        assertThat(t.resolve("other")).extracting(m -> m.route().name()).containsExactly("everything");
        assertThat(t.resolve("$SYS/x")).isEmpty();
        // match() is still the winner only
        assertThat(winner(t, "sensors/1/temp")).isEqualTo("temp");
    }

    @Test
    void fanoutRouteThatIsExcludedIsSkipped() {
        Router r = Router.create();
        r.on("a/b", TestSupport.NOOP).name("ab");
        r.on("a/#", TestSupport.NOOP).name("fan").fanout().exclude("a/b");
        RouteTable t = r.build();
        assertThat(t.resolve("a/b")).extracting(m -> m.route().name()).containsExactly("ab");
        assertThat(t.resolve("a/c")).extracting(m -> m.route().name()).containsExactly("fan");
    }

    @Test
    void withoutFanoutResolveIsTheWinnerOnly() {
        RouteTable t = table("a/b", "a/+", "#");
        assertThat(t.resolve("a/b")).extracting(m -> m.route().name()).containsExactly("a/b");
        assertThat(t.resolve("zzz")).extracting(m -> m.route().name()).containsExactly("#");
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.routes()).extracting(Route::index).containsExactly(0, 1, 2);
    }

    @Test
    void manyLiteralSiblingsAreAllFound() {
        // exercises the level map growing well past its initial size
        Router r = Router.create();
        for (int i = 0; i < 500; i++) r.on("dev/d" + i + "/x", TestSupport.NOOP);
        r.on("dev/+/x", TestSupport.NOOP).name("fallback");
        RouteTable t = r.build();
        for (int i = 0; i < 500; i++) assertThat(winner(t, "dev/d" + i + "/x")).isEqualTo("dev/d" + i + "/x");
        assertThat(winner(t, "dev/d500/x")).isEqualTo("fallback");
        assertThat(winner(t, "dev/D1/x")).isEqualTo("fallback");
        assertThat(winner(t, "dev/d1")).isNull();
    }

    @Test
    void matchCarriesTopicAndLazilyBoundParams() {
        RouteTable t = table("a/{x}/{y...}");
        Match m = t.match("a/1/2/3");
        assertThat(m.topic()).isEqualTo("a/1/2/3");
        assertThat(m.params()).isSameAs(m.params()).containsExactly(Map.entry("x", "1"), Map.entry("y", "2/3"));
        assertThat(m.toString()).contains("a/{x}/{y...}").contains("x=1");
    }
}
