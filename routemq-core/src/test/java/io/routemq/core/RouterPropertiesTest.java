package io.routemq.core;

import io.routemq.core.ReferenceMqtt.Kind;
import io.routemq.core.ReferenceMqtt.Spec;
import io.routemq.core.ReferenceMqtt.Token;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router compared with {@link ReferenceMqtt}, a simple matcher written from MQTT 5 section 4.7, on random
 * patterns and topics over a small alphabet of levels (so that matches, near misses, '$' topics, case differences
 * and empty levels are frequent).
 */
class RouterPropertiesTest {

    /** Literal levels of patterns. */
    private static final List<String> LITERALS = List.of("", "a", "b", "$SYS", "A");
    /** Levels of topics: the literals, plus levels no pattern names, and regex-looking text. */
    private static final List<String> TOPIC_LEVELS = List.of("", "a", "b", "$SYS", "A", "c", "a.b", "*");
    /** Topics for coverage checks: every topic of 1 to 5 levels over the literals plus a fresh level. */
    private static final List<String[]> UNIVERSE = ReferenceMqtt.universe(List.of("", "a", "b", "$SYS", "A", "z"), 5);

    // ---------------------------------------------------------------- generators

    private static Arbitrary<Spec> specs(int maxFixedLevels) {
        Arbitrary<List<Integer>> fixed = Arbitraries.integers().between(0, LITERALS.size() + 1).list()
                .ofMinSize(0).ofMaxSize(maxFixedLevels);
        Arbitrary<Integer> tail = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(5, 0),   // no multi-level tail
                net.jqwik.api.Tuple.of(2, 1),   // '#'
                net.jqwik.api.Tuple.of(2, 2));  // '{rest...}'

        return Combinators.combine(fixed, tail).as((levels, end) -> {
            List<Token> tokens = new ArrayList<>();
            int p = 0;
            for (int code : levels) {
                if (code < LITERALS.size()) tokens.add(new Token(Kind.LITERAL, LITERALS.get(code)));
                else if (code == LITERALS.size()) tokens.add(new Token(Kind.PLUS, "+"));
                else tokens.add(new Token(Kind.PARAM, "p" + p++));
            }
            if (end == 1) tokens.add(new Token(Kind.HASH, "#"));
            if (end == 2) tokens.add(new Token(Kind.REST, "rest"));
            // a pattern of one empty level would be the empty string, which is not a pattern
            if (tokens.isEmpty() || (tokens.size() == 1 && tokens.get(0).text().isEmpty())) {
                tokens.clear();
                tokens.add(new Token(Kind.LITERAL, "a"));
            }
            return new Spec(List.copyOf(tokens));
        });
    }

    @Provide
    Arbitrary<Spec> pattern() {
        return specs(4);
    }

    @Provide
    Arbitrary<List<Spec>> patterns() {
        return specs(4).list().ofMinSize(1).ofMaxSize(10);
    }

    @Provide
    Arbitrary<String> topic() {
        return Arbitraries.of(TOPIC_LEVELS).list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("/", l));
    }

    @Provide
    Arbitrary<List<String>> topics() {
        return topic().list().ofMinSize(1).ofMaxSize(25);
    }

    /** A generated route: pattern, optional exclude, QoS, session and share group. */
    record RouteSpec(Spec spec, Spec exclude, int qos, String session, String shared, int workers) {
    }

    @Provide
    Arbitrary<List<RouteSpec>> routesWithExcludes() {
        Arbitrary<Spec> exclude = specs(4).injectNull(0.6);
        return Combinators.combine(specs(4), exclude)
                .as((s, e) -> new RouteSpec(s, e, 0, null, null, 1))
                .list().ofMinSize(1).ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<RouteSpec>> routesForSubscriptions() {
        return Combinators.combine(specs(3), Arbitraries.integers().between(0, 2),
                        Arbitraries.of("", "s1"), Arbitraries.of("", "g"), Arbitraries.integers().between(1, 3))
                .as((s, q, session, shared, w) -> new RouteSpec(s, null, q, session.isEmpty() ? null : session,
                        shared.isEmpty() ? null : shared, shared.isEmpty() ? 1 : w))
                .list().ofMinSize(1).ofMaxSize(10);
    }

    private static RouteTable build(List<Spec> specs) {
        Router r = Router.create();
        for (Spec s : specs) r.on(s.pattern(), TestSupport.NOOP);
        return r.build();
    }

    private static RouteTable buildRoutes(List<RouteSpec> routes) {
        Router r = Router.create();
        for (RouteSpec rs : routes) {
            RouteBuilder b = r.on(rs.spec().pattern(), TestSupport.NOOP).qos(rs.qos());
            if (rs.exclude() != null) b.exclude(rs.exclude().pattern());
            if (rs.session() != null) b.session(rs.session());
            if (rs.shared() != null) b.shared(rs.shared(), rs.workers());
        }
        return r.build();
    }

    /** Indices of the routes that accept the topic per the reference, most specific first, ties by index. */
    private static List<Integer> referenceOrder(List<RouteSpec> routes, String topic) {
        String[] t = topic.split("/", -1);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteSpec rs = routes.get(i);
            boolean match = ReferenceMqtt.matches(rs.spec().filterLevels(), t);
            boolean excluded = rs.exclude() != null && ReferenceMqtt.matches(rs.exclude().filterLevels(), t);
            if (match && !excluded) out.add(i);
        }
        out.sort(Comparator.<Integer, int[]>comparing(i -> routes.get(i).spec().ranks(), ReferenceMqtt::compareSpecificity)
                .thenComparing(i -> i));
        return out;
    }

    private static List<RouteSpec> plain(List<Spec> specs) {
        return specs.stream().map(s -> new RouteSpec(s, null, 0, null, null, 1)).toList();
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 400)
    void topicPatternMatchesAgreesWithTheReference(@ForAll("pattern") Spec spec, @ForAll("topic") String topic) {
        TopicPattern p = TopicPattern.parse(spec.pattern());
        assertThat(p.toFilter()).isEqualTo(spec.filter());
        boolean expected = ReferenceMqtt.matches(spec.filter(), topic);
        assertThat(p.matches(topic)).as("'%s' matches '%s'", spec.pattern(), topic).isEqualTo(expected);
        if (expected) {
            assertThat(p.bind(topic)).as("bind '%s' on '%s'", spec.pattern(), topic).isEqualTo(spec.bind(topic));
        }
    }

    @Property(tries = 300)
    void theSetOfMatchingRoutesEqualsTheReferenceSet(@ForAll("patterns") List<Spec> specs, @ForAll("topics") List<String> topics) {
        RouteTable table = build(specs);
        for (String topic : topics) {
            Set<Integer> actual = table.matchAll(topic).stream().map(m -> m.route().index()).collect(Collectors.toSet());
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < specs.size(); i++) {
                if (ReferenceMqtt.matches(specs.get(i).filter(), topic)) expected.add(i);
            }
            assertThat(actual).as("routes %s on topic '%s'", specs, topic).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void matchReturnsTheMostSpecificRoute(@ForAll("patterns") List<Spec> specs, @ForAll("topics") List<String> topics) {
        RouteTable table = build(specs);
        List<RouteSpec> routes = plain(specs);
        for (String topic : topics) {
            List<Integer> expected = referenceOrder(routes, topic);
            Match m = table.match(topic);
            assertThat(m == null ? null : m.route().index()).as("winner of %s on '%s'", specs, topic)
                    .isEqualTo(expected.isEmpty() ? null : expected.get(0));
            assertThat(table.matchAll(topic)).extracting(x -> x.route().index()).as("order of %s on '%s'", specs, topic)
                    .containsExactlyElementsOf(expected);
            assertThat(table.resolve(topic)).extracting(x -> x.route().index())
                    .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.get(0)));
            if (m != null) assertThat(m.params()).isEqualTo(specs.get(m.route().index()).bind(topic));
        }
    }

    @Property(tries = 300)
    void excludesSkipToTheNextMostSpecific(@ForAll("routesWithExcludes") List<RouteSpec> routes,
                                           @ForAll("topics") List<String> topics) {
        RouteTable table = buildRoutes(routes);
        for (String topic : topics) {
            List<Integer> expected = referenceOrder(routes, topic);
            assertThat(table.matchAll(topic)).extracting(x -> x.route().index()).as("order of %s on '%s'", routes, topic)
                    .containsExactlyElementsOf(expected);
            Match m = table.match(topic);
            assertThat(m == null ? null : m.route().index()).isEqualTo(expected.isEmpty() ? null : expected.get(0));
        }
    }

    @Property(tries = 200)
    void subscriptionsCoverEveryRouteAndNoneIsRedundant(@ForAll("routesForSubscriptions") List<RouteSpec> routes) {
        RouteTable table = buildRoutes(routes);
        List<Subscription> subs = table.subscriptions();

        // group routes the way a broker sees them: per session and share group
        Map<List<String>, List<RouteSpec>> byGroup = new HashMap<>();
        for (RouteSpec r : routes) byGroup.computeIfAbsent(groupKey(r.session(), r.shared()), k -> new ArrayList<>()).add(r);
        Map<List<String>, List<Subscription>> subsByGroup = new HashMap<>();
        for (Subscription s : subs) subsByGroup.computeIfAbsent(groupKey(s.session(), s.sharedGroup()), k -> new ArrayList<>()).add(s);
        assertThat(subsByGroup.keySet()).isEqualTo(byGroup.keySet());

        for (Map.Entry<List<String>, List<Subscription>> e : subsByGroup.entrySet()) {
            List<RouteSpec> groupRoutes = byGroup.get(e.getKey());
            List<Subscription> groupSubs = e.getValue();
            Set<String> routeFilters = groupRoutes.stream().map(r -> r.spec().filter()).collect(Collectors.toSet());
            int maxWorkers = groupRoutes.stream().mapToInt(RouteSpec::workers).max().orElseThrow();
            for (Subscription s : groupSubs) {
                // only filters that some route needs
                assertThat(routeFilters).as("subscription %s in %s", s, routes).contains(s.filter());
                assertThat(s.workers()).isEqualTo(maxWorkers);
                assertThat(s.topicFilter()).isEqualTo(s.sharedGroup() == null ? s.filter() : "$share/" + s.sharedGroup() + "/" + s.filter());
                // its QoS is the highest of the routes it covers
                String[] sl = s.filter().split("/", -1);
                int expectedQos = groupRoutes.stream()
                        .filter(r -> ReferenceMqtt.covers(sl, r.spec().filterLevels(), UNIVERSE))
                        .mapToInt(RouteSpec::qos).max().orElseThrow();
                assertThat(s.qos()).as("qos of %s for %s", s, routes).isEqualTo(expectedQos);
            }
            // no filter twice, and none covered by another one of the same group
            assertThat(groupSubs).extracting(Subscription::filter).doesNotHaveDuplicates();
            for (Subscription a : groupSubs) {
                for (Subscription b : groupSubs) {
                    if (a == b) continue;
                    assertThat(ReferenceMqtt.covers(b.filter().split("/", -1), a.filter().split("/", -1), UNIVERSE))
                            .as("'%s' is covered by '%s' (routes %s)", a.filter(), b.filter(), routes).isFalse();
                }
            }
            // every topic a route matches is matched by a subscription of its group with at least the route's QoS
            for (RouteSpec r : groupRoutes) {
                boolean covered = groupSubs.stream().anyMatch(s -> s.qos() >= r.qos()
                        && ReferenceMqtt.covers(s.filter().split("/", -1), r.spec().filterLevels(), UNIVERSE));
                assertThat(covered).as("route %s (qos %d) covered by %s", r.spec(), r.qos(), groupSubs).isTrue();
            }
        }
    }

    private static List<String> groupKey(String session, String shared) {
        return java.util.Arrays.asList(session, shared);
    }

    // ---------------------------------------------------------------- the generators are not vacuous

    @Example
    void generatedPatternsAndTopicsMatchOftenEnoughToMeanSomething() {
        List<Spec> specs = pattern().sampleStream().limit(3_000).toList();
        List<String> topics = topic().sampleStream().limit(3_000).toList();
        long matches = 0;
        long dollarTopics = 0;
        long multi = 0;
        for (int i = 0; i < specs.size(); i++) {
            if (ReferenceMqtt.matches(specs.get(i).filter(), topics.get(i))) matches++;
            if (topics.get(i).startsWith("$")) dollarTopics++;
            if (specs.get(i).filter().endsWith("#")) multi++;
        }
        assertThat(matches).isBetween(150L, 2_500L);
        assertThat(dollarTopics).isGreaterThan(100);
        assertThat(multi).isGreaterThan(300);
        assertThat(UNIVERSE).hasSize(6 + 36 + 216 + 1296 + 7776);
    }

    @Example
    void theReferenceItselfFollowsTheSpecExamples() {
        // MQTT 5 section 4.7.1.2 / 4.7.1.3 / 4.7.2 examples
        assertThat(ReferenceMqtt.matches("sport/tennis/player1/#", "sport/tennis/player1")).isTrue();
        assertThat(ReferenceMqtt.matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon")).isTrue();
        assertThat(ReferenceMqtt.matches("sport/#", "sport")).isTrue();
        assertThat(ReferenceMqtt.matches("sport/tennis/+", "sport/tennis/player1")).isTrue();
        assertThat(ReferenceMqtt.matches("sport/tennis/+", "sport/tennis/player1/ranking")).isFalse();
        assertThat(ReferenceMqtt.matches("sport/+", "sport")).isFalse();
        assertThat(ReferenceMqtt.matches("sport/+", "sport/")).isTrue();
        assertThat(ReferenceMqtt.matches("+/+", "/finance")).isTrue();
        assertThat(ReferenceMqtt.matches("/+", "/finance")).isTrue();
        assertThat(ReferenceMqtt.matches("+", "/finance")).isFalse();
        assertThat(ReferenceMqtt.matches("#", "$SYS/x")).isFalse();
        assertThat(ReferenceMqtt.matches("+/monitor/Clients", "$SYS/monitor/Clients")).isFalse();
        assertThat(ReferenceMqtt.matches("$SYS/#", "$SYS/monitor/Clients")).isTrue();
        assertThat(ReferenceMqtt.matches("$SYS/monitor/+", "$SYS/monitor/Clients")).isTrue();
        assertThat(ReferenceMqtt.compareSpecificity(new int[] {0}, new int[] {0, 2})).isNegative();
        assertThat(ReferenceMqtt.compareSpecificity(new int[] {0, 1, 0}, new int[] {0, 0, 2})).isPositive();
        assertThat(ReferenceMqtt.covers("a/#".split("/"), "a/+".split("/"), UNIVERSE)).isTrue();
        assertThat(ReferenceMqtt.covers("a/+".split("/"), "a/#".split("/"), UNIVERSE)).isFalse();
        assertThat(ReferenceMqtt.covers("#".split("/"), "$SYS/a".split("/"), UNIVERSE)).isFalse();
        assertThat(Objects.requireNonNull(UNIVERSE.get(0))).containsExactly("");
    }
}
