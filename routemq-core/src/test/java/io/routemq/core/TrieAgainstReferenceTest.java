package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production trie against {@link ReferenceTrie}, a plain map-and-recursion trie, on thousands of generated route
 * tables: {@link RouteTable#match}, {@link RouteTable#matchAll} and {@link RouteTable#resolve} must give the same
 * routes in the same order, and every match the same parameters, in the same order, as the reference binds from the
 * levels it walked through.
 *
 * <p>The tables mix literal levels, {@code +}, {@code {p}}, {@code #} and {@code {rest...}}, excludes, fan-out
 * routes and several routes on one pattern. Levels include empty ones, {@code $} levels, exactly 8, 16 and 17
 * characters, non-Latin-1 text, surrogate pairs, {@code '?'} and, in topics only, NUL (which send the trie down its
 * char path), and literal routes of over 48 bytes (which spill out of the literal record). Topics are long enough
 * now and then that the parameter places no longer fit the match's {@code int} and are bound from the pattern.
 */
class TrieAgainstReferenceTest {
    /** Literal levels of patterns (and of topics). */
    private static final String[] LEVELS = {
        "", "a", "b", "A", "$SYS", "$x", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq",
        "\u00e9t\u00e9", "\u65e5\u672c", "\u0100", "a?b", "?", "\ud83d\ude00", "d1", "d2",
        "a-level-long-enough-that-a-literal-route-spills-past-48-bytes",
    };
    /** Levels only topics use. */
    private static final String[] TOPIC_ONLY = {"c", "x\u0000y", "v1", "\u0141", "sixty-three-characters-to-widen-the-bounds-of-a-topic-past-62-ch"};

    @Test
    void thousandsOfSmallTablesAgreeWithTheReference() {
        Random rnd = new Random(20261207);
        Counts counts = new Counts();
        for (int t = 0; t < 3_000; t++) {
            int size = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 200 : 25);
            check(rnd, size, 40, "table " + t, counts);
        }
        counts.print("small tables");
        assertThat(counts.tables).isEqualTo(3_000);
        assertThat(counts.hits).isGreaterThan(20_000);
        assertThat(counts.params).isGreaterThan(10_000);
        assertThat(counts.boundFromPattern).isPositive();
        assertThat(counts.fanout).isPositive();
    }

    @Test
    void largeTablesAgreeWithTheReference() {
        Random rnd = new Random(7);
        Counts counts = new Counts();
        for (int size : new int[] {2_000, 8_000, 20_000}) check(rnd, size, 3_000, size + " routes", counts);
        counts.print("large tables");
        assertThat(counts.hits).isGreaterThan(3_000);
    }

    @Test
    void theParametersOfTheDocumentedExamplesComeFromTheWalk() {
        Router router = Router.create();
        router.on("fleet/{fleetId}/trucks/{truckId}/gps", ctx -> { });
        router.on("files/{path...}", ctx -> { });
        router.on("{x}/{y}", ctx -> { });
        router.on("a/+/{x}/#", ctx -> { });
        RouteTable table = router.build();
        assertThat(table.match("fleet/7/trucks/42/gps").params())
                .containsExactly(Map.entry("fleetId", "7"), Map.entry("truckId", "42"));
        assertThat(table.match("files/a/b/c.txt").params()).containsExactly(Map.entry("path", "a/b/c.txt"));
        assertThat(table.match("files//x/").params()).containsExactly(Map.entry("path", "/x/"));
        assertThat(table.match("files").params()).containsExactly(Map.entry("path", ""));
        assertThat(table.match("files/").params()).containsExactly(Map.entry("path", ""));
        assertThat(table.match("/").params()).containsExactly(Map.entry("x", ""), Map.entry("y", ""));
        assertThat(table.match("a/b/c").params()).containsExactly(Map.entry("x", "c"));
        assertThat(table.match("a/b/c/d/e").params()).containsExactly(Map.entry("x", "c"));
        // a match made without the trie binds from the pattern, as before
        Match m = table.match("fleet/7/trucks/42/gps");
        assertThat(new Match(m.route(), m.topic()).params()).isEqualTo(m.params());
    }

    @Test
    void aTopicTooLongForTheBoundsIsBoundFromThePattern() {
        Router router = Router.create();
        router.on("a/{x}/{y}/{rest...}", ctx -> { });
        RouteTable table = router.build();
        String longLevel = "z".repeat(70_000);
        String topic = "a/" + longLevel + "/y/r/s";
        Match m = table.match(topic);
        assertThat(m.params()).containsExactly(Map.entry("x", longLevel), Map.entry("y", "y"), Map.entry("rest", "r/s"));
        assertThat(new ReferenceTrie(table.routes()).first(topic).params()).isEqualTo(m.params());
    }

    /** Checks one generated table of {@code size} routes on {@code topicCount} topics. */
    private static void check(Random rnd, int size, int topicCount, String where, Counts counts) {
        List<String> patterns = patterns(rnd, size);
        Router router = Router.create();
        for (String p : patterns) {
            RouteBuilder route = router.on(p, ctx -> { });
            if (rnd.nextInt(12) == 0) route.exclude(patterns.get(rnd.nextInt(patterns.size())));
            String topic = instance(p, rnd).replace("\u0000", "0");
            if (rnd.nextInt(12) == 0 && !topic.isEmpty()) route.exclude(topic);
            if (rnd.nextInt(5) == 0) route.fanout();
            if (rnd.nextInt(20) == 0) router.on(p, ctx -> { }).fanout(); // a second route on the same pattern
        }
        RouteTable table = router.build();
        ReferenceTrie reference = new ReferenceTrie(table.routes());
        counts.tables++;
        for (int i = 0; i < topicCount; i++) {
            String topic = rnd.nextInt(4) == 0 ? randomTopic(rnd) : instance(patterns.get(rnd.nextInt(patterns.size())), rnd);
            if (rnd.nextInt(15) == 0) topic = "$" + topic;
            String at = "'" + topic + "' (" + where + ")";

            List<ReferenceTrie.Hit> all = reference.all(topic);
            same("matchAll " + at, table.matchAll(topic), all, counts);

            Match best = table.match(topic);
            same("match " + at, best == null ? List.of() : List.of(best), all.isEmpty() ? List.of() : all.subList(0, 1), counts);
            if (best != null) counts.hits++;

            List<Match> resolved = table.resolve(topic);
            same("resolve " + at, resolved, reference.resolve(topic), counts);
            if (resolved.size() > 1) counts.fanout++;
        }
    }

    /** The same routes in the same order, each with the same parameters in the same order. */
    private static void same(String what, List<Match> got, List<ReferenceTrie.Hit> want, Counts counts) {
        boolean same = got.size() == want.size();
        for (int k = 0; same && k < got.size(); k++) {
            Match m = got.get(k);
            ReferenceTrie.Hit hit = want.get(k);
            // entry lists, so that the order of the parameters is compared too
            same = m.route() == hit.route()
                    && new ArrayList<>(m.params().entrySet()).equals(new ArrayList<>(hit.params().entrySet()));
            if (!hit.params().isEmpty()) counts.params++;
            if (!hit.params().isEmpty() && nonLiteralLevels(m.route()) * boundsWidth(m.topic()) > 32) counts.boundFromPattern++;
        }
        if (!same) {
            assertThat(got.stream().map(m -> m.route().pattern() + " " + m.params()).toList()).as(what)
                    .isEqualTo(want.stream().map(h -> h.route().pattern() + " " + h.params()).toList());
            assertThat(routes(got)).as(what).isEqualTo(want.stream().map(ReferenceTrie.Hit::route).toList());
        }
    }

    private static int nonLiteralLevels(Route r) {
        int k = 0;
        for (TopicPattern.Level l : r.pattern().levels()) if (l.kind() != TopicPattern.LevelKind.LITERAL) k++;
        return k;
    }

    /** Bits per place in a match's int of parameter places (io.routemq.core.internal.LevelBounds). */
    private static int boundsWidth(String topic) {
        return 32 - Integer.numberOfLeadingZeros(topic.length() + 2);
    }

    private static List<Route> routes(List<Match> matches) {
        return matches.stream().map(Match::route).toList();
    }

    private static List<String> patterns(Random rnd, int n) {
        Set<String> out = new LinkedHashSet<>();
        int wide = Math.max(4, n / 3);
        while (out.size() < n) {
            int depth = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 9 : 5);
            StringBuilder sb = new StringBuilder();
            int params = 0;
            for (int i = 0; i < depth; i++) {
                if (i > 0) sb.append('/');
                boolean last = i == depth - 1;
                int k = rnd.nextInt(20);
                if (k < 3) sb.append('+');
                else if (k < 6) sb.append("{p").append(params++).append('}');
                else if (k == 6 && last) sb.append('#');
                else if (k == 7 && last) sb.append("{rest...}");
                else if (k < 10 && n > 50) sb.append('d').append(rnd.nextInt(wide)); // many literal children per node
                else sb.append(LEVELS[rnd.nextInt(LEVELS.length)]);
            }
            if (!sb.isEmpty()) out.add(sb.toString());
        }
        return new ArrayList<>(out);
    }

    /** A topic the pattern matches, most of the time (a literal level of a pattern is kept as it is). */
    private static String instance(String pattern, Random rnd) {
        String[] levels = pattern.split("/", -1);
        List<String> parts = new ArrayList<>();
        for (String level : levels) {
            if (level.equals("#") || level.equals("{rest...}")) {
                for (int i = rnd.nextInt(4); i > 0; i--) parts.add(topicLevel(rnd));
            } else if (level.equals("+") || level.startsWith("{")) {
                parts.add(topicLevel(rnd));
            } else {
                parts.add(level);
            }
        }
        return String.join("/", parts);
    }

    private static String randomTopic(Random rnd) {
        int depth = 1 + rnd.nextInt(7);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < depth; i++) parts.add(topicLevel(rnd));
        return String.join("/", parts);
    }

    private static String topicLevel(Random rnd) {
        int k = rnd.nextInt(10);
        if (k < 5) return LEVELS[rnd.nextInt(LEVELS.length)];
        if (k < 8) return TOPIC_ONLY[rnd.nextInt(TOPIC_ONLY.length)];
        if (k < 9) return "d" + rnd.nextInt(40);
        return "w".repeat(rnd.nextInt(300)); // up to 299 characters: wider bounds, fewer places in the int
    }

    private static final class Counts {
        int tables;
        int hits;
        int params;
        int boundFromPattern;
        int fanout;

        void print(String what) {
            org.slf4j.LoggerFactory.getLogger(TrieAgainstReferenceTest.class).info(
                    "{}: {} tables, {} topics matched, {} matches with parameters ({} bound from the pattern), {} topics delivered to 2+ routes",
                    what, tables, hits, params, boundFromPattern, fanout);
        }
    }
}
