package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.routemq.core.TestSupport.NOOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The route builder and groups: prefixes, middleware order, options and their validation. */
class RouterTest {

    /** A middleware that records its name before and after the rest of the chain. */
    private record Named(String name, List<String> log) implements Middleware {
        @Override
        public void handle(Context ctx, Next next) throws Exception {
            log.add(name);
            next.proceed(ctx);
            log.add("/" + name);
        }
    }

    @Test
    void nestedGroupsJoinPrefixesWithSlash() {
        Router root = Router.create();
        root.group("fleet/{fleetId}", fleet -> {
            assertThat(fleet.prefix()).isEqualTo("fleet/{fleetId}");
            fleet.on("status", NOOP);
            fleet.group("trucks/{truckId}", trucks -> {
                assertThat(trucks.prefix()).isEqualTo("fleet/{fleetId}/trucks/{truckId}");
                trucks.on("gps", NOOP);
                trucks.group("sensors", s -> s.on("{sensor}/#", NOOP));
            });
            fleet.group("", same -> same.on("empty-prefix", NOOP));
        });
        root.on("top", NOOP);
        RouteTable t = root.build();
        assertThat(t.routes()).extracting(r -> r.pattern().pattern()).containsExactly(
                "fleet/{fleetId}/status",
                "fleet/{fleetId}/trucks/{truckId}/gps",
                "fleet/{fleetId}/trucks/{truckId}/sensors/{sensor}/#",
                "fleet/{fleetId}/empty-prefix",
                "top");
        assertThat(root.prefix()).isEmpty();
    }

    @Test
    void groupRouteWithEmptyPatternIsThePrefixItself() {
        Router root = Router.create();
        root.group("a/b", g -> g.on("", NOOP));
        assertThat(root.build().routes().get(0).pattern().pattern()).isEqualTo("a/b");
    }

    @Test
    void paramsFromPrefixAndRouteAreBothBound() throws Exception {
        Router root = Router.create();
        java.util.concurrent.atomic.AtomicReference<Map<String, String>> seen = new java.util.concurrent.atomic.AtomicReference<>();
        root.group("fleet/{fleetId}", f -> f.on("trucks/{truckId}/gps", ctx -> seen.set(ctx.params())));
        RouteTable t = root.build();
        assertThat(t.match("fleet/7/trucks/42/gps").params())
                .containsExactly(Map.entry("fleetId", "7"), Map.entry("truckId", "42"));
        try (Dispatcher d = Dispatcher.builder(t).build()) {
            assertThat(TestSupport.sendAndWait(d, "fleet/7/trucks/42/gps", "")).isEqualTo(Outcome.HANDLED);
        }
        assertThat(seen.get()).containsExactly(Map.entry("fleetId", "7"), Map.entry("truckId", "42"));
    }

    @Test
    void duplicateParamAcrossPrefixAndRouteIsRejected() {
        Router root = Router.create();
        InvalidPatternException e = catchThrowableOfType(InvalidPatternException.class,
                () -> root.group("fleet/{id}", f -> f.on("trucks/{id}", NOOP)));
        assertThat(e.pattern()).isEqualTo("fleet/{id}/trucks/{id}");
        assertThat(e.position()).isEqualTo(19);
        assertThat(e.getMessage()).contains("duplicate parameter name 'id'");

        InvalidPatternException nested = catchThrowableOfType(InvalidPatternException.class,
                () -> Router.create().group("a/{x}", a -> a.group("b/{x}", b -> { })));
        assertThat(nested.pattern()).isEqualTo("a/{x}/b/{x}");
        assertThat(nested.position()).isEqualTo(9);
    }

    @Test
    void invalidGroupPrefixes() {
        InvalidPatternException hash = catchThrowableOfType(InvalidPatternException.class,
                () -> Router.create().group("a/#", g -> { }));
        assertThat(hash.position()).isEqualTo(3);
        assertThat(hash.getMessage()).contains("group prefix cannot end with '#'").contains("(position 3)");

        InvalidPatternException nestedHash = catchThrowableOfType(InvalidPatternException.class,
                () -> Router.create().group("a", g -> g.group("#", h -> { })));
        assertThat(nestedHash.pattern()).isEqualTo("a/#");
        assertThat(nestedHash.position()).isEqualTo(3);

        InvalidPatternException capture = catchThrowableOfType(InvalidPatternException.class,
                () -> Router.create().group("files/{rest...}", g -> { }));
        assertThat(capture.position()).as(capture.getMessage()).isEqualTo(7);
        assertThat(capture.getMessage()).contains("nothing could follow it");

        InvalidPatternException bad = catchThrowableOfType(InvalidPatternException.class,
                () -> Router.create().group("a/#/b", g -> { }));
        assertThat(bad.position()).isEqualTo(3);

        InvalidPatternException share = catchThrowableOfType(InvalidPatternException.class,
                () -> Router.create().group("$share/g", g -> g.on("a", NOOP)));
        assertThat(share.position()).isEqualTo(1);

        assertThatThrownBy(() -> Router.create().on("a/#/b", NOOP)).isInstanceOf(InvalidPatternException.class);
    }

    @Test
    void middlewareOrderIsGlobalThenOuterGroupThenInnerGroupThenRoute() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Router root = Router.create();
        root.middleware(new Named("global1", log));
        root.group("g", outer -> {
            outer.middleware(new Named("outer", log));
            outer.group("h", inner -> {
                inner.on("x", ctx -> log.add("handler")).middleware(new Named("route1", log), new Named("route2", log));
                inner.middleware(new Named("inner-late", log)); // after the route: still applies
            });
        });
        root.middleware(new Named("global2-late", log));  // after all routes: still applies
        RouteTable t = root.build();
        assertThat(t.routes().get(0).middleware()).extracting(m -> ((Named) m).name())
                .containsExactly("global1", "global2-late", "outer", "inner-late", "route1", "route2");
        try (Dispatcher d = Dispatcher.builder(t).build()) {
            assertThat(TestSupport.sendAndWait(d, "g/h/x", "")).isEqualTo(Outcome.HANDLED);
        }
        assertThat(log).containsExactly("global1", "global2-late", "outer", "inner-late", "route1", "route2", "handler",
                "/route2", "/route1", "/inner-late", "/outer", "/global2-late", "/global1");
    }

    @Test
    void groupMiddlewareDoesNotLeakToSiblingsOrParents() {
        List<String> log = new CopyOnWriteArrayList<>();
        Router root = Router.create();
        root.group("a", a -> a.middleware(new Named("a", log)).on("x", NOOP));
        root.group("b", b -> b.on("x", NOOP).middleware(new Named("bx", log)));
        root.on("c", NOOP);
        RouteTable t = root.build();
        assertThat(t.routes().get(0).middleware()).extracting(m -> ((Named) m).name()).containsExactly("a");
        assertThat(t.routes().get(1).middleware()).extracting(m -> ((Named) m).name()).containsExactly("bx");
        assertThat(t.routes().get(2).middleware()).isEmpty();
    }

    @Test
    void routesOfOneScopeWithoutOwnMiddlewareShareOneChain() {
        List<String> log = new CopyOnWriteArrayList<>();
        Router root = Router.create();
        root.middleware(new Named("global", log));
        root.on("a", NOOP);
        root.on("b", NOOP);
        root.on("c", NOOP).middleware(new Named("own", log));
        root.group("g", g -> {
            g.middleware(new Named("group", log));
            g.on("x", NOOP);
            g.on("y", NOOP);
        });
        List<Route> routes = root.build().routes();
        // one list per scope, not one per route (a table of 10k routes held 10k equal lists)
        assertThat(routes.get(1).middleware()).isSameAs(routes.get(0).middleware());
        assertThat(routes.get(4).middleware()).isSameAs(routes.get(3).middleware());
        assertThat(routes.get(0).middleware()).extracting(m -> ((Named) m).name()).containsExactly("global");
        assertThat(routes.get(2).middleware()).extracting(m -> ((Named) m).name()).containsExactly("global", "own");
        assertThat(routes.get(3).middleware()).extracting(m -> ((Named) m).name()).containsExactly("global", "group");
    }

    @Test
    void routeOptionsEndUpOnTheRoute() {
        Router root = Router.create();
        Handler h = ctx -> { };
        root.route("a/{x}", h).name("named").qos(2).shared("grp", 3).exclude("a/b", "a/{y}").fanout().unordered()
                .retry(4, Duration.ofMillis(5)).session("plant");
        root.on("b", NOOP);
        RouteTable t = root.build();
        Route r = t.routes().get(0);
        assertThat(r.name()).isEqualTo("named");
        assertThat(r.pattern().pattern()).isEqualTo("a/{x}");
        assertThat(r.handler()).isSameAs(h);
        assertThat(r.qos()).isEqualTo(2);
        assertThat(r.sharedGroup()).isEqualTo("grp");
        assertThat(r.workers()).isEqualTo(3);
        assertThat(r.excludes()).extracting(TopicPattern::pattern).containsExactly("a/b", "a/{y}");
        assertThat(r.fanout()).isTrue();
        assertThat(r.ordered()).isFalse();
        assertThat(r.errorPolicy()).isEqualTo(new ErrorPolicy(4, Duration.ofMillis(5), true));
        assertThat(r.session()).isEqualTo("plant");
        assertThat(r.toString()).contains("named").contains("a/{x}");

        Route d = t.routes().get(1);
        assertThat(d.name()).isEqualTo("b");
        assertThat(d.qos()).isZero();
        assertThat(d.sharedGroup()).isNull();
        assertThat(d.workers()).isEqualTo(1);
        assertThat(d.excludes()).isEmpty();
        assertThat(d.fanout()).isFalse();
        assertThat(d.ordered()).isTrue();
        assertThat(d.errorPolicy()).isEqualTo(ErrorPolicy.ack());
        assertThat(d.session()).isNull();
        assertThat(d.middleware()).isEmpty();
    }

    @Test
    void qosMustBe0To2() {
        Router root = Router.create();
        RouteBuilder b = root.on("a", NOOP);
        assertThatThrownBy(() -> b.qos(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route 'a'").hasMessageContaining("got -1");
        assertThatThrownBy(() -> b.qos(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
        b.qos(0).qos(1).qos(2);
        assertThat(root.build().routes().get(0).qos()).isEqualTo(2);
    }

    @Test
    void sharedIsValidated() {
        RouteBuilder b = Router.create().on("a/#", NOOP);
        for (String bad : List.of("", "a/b", "g+", "g#", "#", "+", "/")) {
            assertThatThrownBy(() -> b.shared(bad, 1)).as("group '%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shared group name '" + bad + "'").hasMessageContaining("route 'a/#'");
        }
        assertThatThrownBy(() -> b.shared(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.shared("g", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers must be at least 1, got 0");
        assertThatThrownBy(() -> b.shared("g", -5)).isInstanceOf(IllegalArgumentException.class);
        b.shared("ok-group_1", 1);
    }

    @Test
    void otherOptionsAreValidated() {
        RouteBuilder b = Router.create().on("a/#", NOOP);
        assertThatThrownBy(() -> b.name(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> b.name(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.exclude("a/#/b")).isInstanceOf(InvalidPatternException.class);
        assertThatThrownBy(() -> b.onError(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.retry(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attempts must be at least 1");
        assertThatThrownBy(() -> b.retry(2, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> b.middleware((Middleware) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Router.create().on("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Router.create().on(null, NOOP)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Router.create().middleware((Middleware) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void duplicateExplicitNamesAreRejected() {
        Router root = Router.create();
        root.on("a/1", NOOP).name("same");
        root.group("g", g -> g.on("b/2", NOOP).name("same"));
        assertThatThrownBy(root::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("route name 'same' is used twice").hasMessageContaining("'a/1'")
                .hasMessageContaining("'g/b/2'");
    }

    @Test
    void samePatternTwiceWithoutNamesIsAllowed() {
        Router root = Router.create();
        root.on("a", NOOP);
        root.on("a", NOOP);
        root.on("b", NOOP).name("a"); // an explicit name equal to another route's default name is fine
        assertThat(root.build().routes()).extracting(Route::name).containsExactly("a", "a", "a");
    }

    @Test
    void changesAfterBuildAreRejected() {
        Router root = Router.create();
        RouteBuilder b = root.on("a", NOOP);
        Router[] group = new Router[1];
        RouteBuilder[] inGroup = new RouteBuilder[1];
        root.group("g", g -> {
            group[0] = g;
            inGroup[0] = g.on("x", NOOP);
        });
        RouteTable t = root.build();

        assertThatThrownBy(() -> root.on("b", NOOP)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after build()");
        assertThatThrownBy(() -> root.middleware((ctx, next) -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> root.group("h", h -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> group[0].on("y", NOOP)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> group[0].middleware((ctx, next) -> { })).isInstanceOf(IllegalStateException.class);
        // a route builder kept from before build() cannot change the built routes either
        assertThatThrownBy(() -> b.qos(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("after build()");
        assertThatThrownBy(() -> b.name("n")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.middleware((ctx, next) -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.shared("g", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.exclude("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::fanout).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::unordered).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.onError(ErrorPolicy.redeliver())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.session("s")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> inGroup[0].qos(2)).isInstanceOf(IllegalStateException.class);

        assertThat(t.routes()).hasSize(2);
        assertThat(t.routes().get(0).qos()).isZero();
    }

    @Test
    void buildIsCalledOnTheRootOnly() {
        Router root = Router.create();
        root.group("g", g -> assertThatThrownBy(g::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("group 'g'"));
    }

    @Test
    void routeFilesAreDefinedInOrder() {
        Routes first = r -> r.on("one", NOOP);
        Routes second = r -> r.group("two", g -> g.on("x", NOOP));
        RouteTable t = Router.of(first, second).build();
        assertThat(t.routes()).extracting(Route::name).containsExactly("one", "two/x");
    }

    @Test
    void routeRecordValidates() {
        TopicPattern p = TopicPattern.parse("a");
        assertThatThrownBy(() -> new Route(0, "n", p, NOOP, List.of(), List.of(), 3, null, 1, List.of(), false, true, ErrorPolicy.ack(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qos");
        assertThatThrownBy(() -> new Route(0, "n", p, NOOP, List.of(), List.of(), 0, null, 0, List.of(), false, true, ErrorPolicy.ack(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
        assertThatThrownBy(() -> new Route(0, "n", p, null, List.of(), List.of(), 0, null, 1, List.of(), false, true, ErrorPolicy.ack(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither a handler nor a sink");
        assertThat(new Route(0, "n", p, null, List.of(), List.of("ingest"), 0, null, 1, List.of(), false, true, ErrorPolicy.ack(), null)
                .forwardOnly()).isTrue();
    }
}
