package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trie's layout only shows at scale: open-addressing tables with collisions and wrap-around, the literal-topic
 * records whose text spills past the 48 bytes a record holds, leaf edges that hold their route, literal routes
 * with excludes, several routes on one pattern, and {@code +} chains whose path hashes are computed as the walk
 * goes. This test builds tables of thousands of such routes and checks every answer against brute force over
 * {@link Route#accepts}.
 */
class LargeTableTest {
    private static final String[] WORDS = {
        "site", "device", "telemetry", "status", "a", "b", "", "x",
        "a-level-of-exactly-24-ch", "sixteen-chars-xx", "seventeen-chars-x", "\u00e9t\u00e9", "\u65e5\u672c",
    };

    @Test
    void bigTablesAgreeWithBruteForce() {
        Random rnd = new Random(20261206);
        for (int size : new int[] {300, 6_000}) {
            List<String> patterns = patterns(rnd, size);
            Router router = Router.create();
            int excluded = 0;
            int duplicates = 0;
            for (String p : patterns) {
                RouteBuilder route = router.on(p, ctx -> { });
                if (rnd.nextInt(25) == 0) {
                    route.exclude(p.contains("+") || p.endsWith("#") ? p.replace("+", "x").replace("#", "x") : p);
                    excluded++;
                }
                if (rnd.nextInt(40) == 0) {
                    router.on(p, ctx -> { }); // a second route on the same pattern: the first one wins
                    duplicates++;
                }
            }
            RouteTable table = router.build();
            assertThat(excluded).isPositive();
            assertThat(duplicates).isPositive();

            List<String> topics = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) topics.add(instance(patterns.get(rnd.nextInt(patterns.size())), rnd));
            for (int i = 0; i < 300; i++) topics.add(randomTopic(rnd));
            for (String p : patterns) {
                if (p.length() > 48 && !p.contains("+") && !p.contains("{") && !p.contains("#")) {
                    topics.add(p.substring(0, p.length() - 1) + "~"); // same first 48 bytes, differs in the spill
                }
            }
            int matched = 0;
            int longLiteralHits = 0;
            for (String topic : topics) {
                Match best = TestSupport.checkAgainstBruteForce(table, topic, size + " routes");
                if (best == null) continue;
                matched++;
                if (best.route().pattern().isLiteral() && topic.length() > 48) longLiteralHits++;
            }
            assertThat(matched).as("topics that matched (%d routes)", size).isGreaterThan(1_000);
            assertThat(longLiteralHits).as("literal hits on topics over 48 bytes").isPositive();
        }
    }

    @Test
    void routesOfThousandsOfLevelsNeedNoDeepStack() {
        // 32,000 levels (64,000 bytes, just under the 65,535-byte pattern limit): building the subscriptions and
        // matchAll used to recurse once or twice per level
        int levels = 32_000;
        String literal = String.join("/", java.util.Collections.nCopies(levels, "a"));
        String single = String.join("/", java.util.Collections.nCopies(levels, "+"));
        String multi = String.join("/", java.util.Collections.nCopies(levels - 1, "a")) + "/#";
        Router router = Router.create();
        router.on(single, ctx -> { });
        router.on(multi, ctx -> { });
        router.on(literal, ctx -> { });
        RouteTable table = router.build();

        assertThat(table.match(literal).route().pattern().pattern()).isEqualTo(literal);
        // most specific first: the multi-level route is literal down to its last level, the single-level one is not
        assertThat(table.matchAll(literal)).extracting(m -> m.route().pattern().pattern())
                .containsExactly(literal, multi, single);
        assertThat(table.matchAll(literal + "/b")).extracting(m -> m.route().pattern().pattern())
                .containsExactly(multi);
    }

    private static List<String> patterns(Random rnd, int n) {
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < n) {
            int depth = 1 + rnd.nextInt(7);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (i > 0) sb.append('/');
                int k = rnd.nextInt(14);
                if (k == 0) sb.append('+');
                else if (k == 1) sb.append("{p").append(i).append('}');
                else if (k == 2 && i == depth - 1) sb.append('#');
                else if (k < 7) sb.append(WORDS[rnd.nextInt(WORDS.length)]);
                else sb.append('d').append(rnd.nextInt(n / 4 + 1)); // wide levels: many literal children per node
            }
            if (!sb.isEmpty()) out.add(sb.toString());
        }
        return new ArrayList<>(out);
    }

    private static String instance(String pattern, Random rnd) {
        String[] levels = pattern.split("/", -1);
        List<String> parts = new ArrayList<>();
        for (String level : levels) {
            if (level.equals("#")) {
                for (int i = rnd.nextInt(3); i > 0; i--) parts.add("t" + rnd.nextInt(5));
            } else if (level.equals("+") || level.startsWith("{")) {
                parts.add(rnd.nextBoolean() ? "v" + rnd.nextInt(9) : WORDS[rnd.nextInt(WORDS.length)]);
            } else {
                parts.add(level);
            }
        }
        return String.join("/", parts);
    }

    private static String randomTopic(Random rnd) {
        int depth = 1 + rnd.nextInt(8);
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(30) == 0) sb.append('$');
        for (int i = 0; i < depth; i++) {
            if (i > 0) sb.append('/');
            sb.append(rnd.nextBoolean() ? WORDS[rnd.nextInt(WORDS.length)] : "d" + rnd.nextInt(200));
        }
        return sb.toString();
    }
}
