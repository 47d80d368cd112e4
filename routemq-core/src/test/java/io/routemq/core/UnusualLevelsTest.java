package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trie packs short Latin-1 levels into longs and falls back to a char-by-char path for other levels. This test
 * drives both paths with levels the property tests do not draw: exactly 8, 16 and 17 characters, non-Latin-1 text,
 * characters above U+00FF that share low bytes with ASCII, '?', and empty levels; and checks the trie against
 * {@link TopicPattern#matches} for every route.
 */
class UnusualLevelsTest {
    private static final String[] LEVELS = {
        "", "a", "A", "abcdefgh", "abcdefgi", "abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq",
        "é", "日本", "\u0161", "\u0141a", "a?b", "?", "sensor-temperature-1", "\u00ff\u00fe", "\u0100", "x.y*z",
    };

    @Test
    void trieAgreesWithThePatternsOnUnusualLevels() {
        Random rnd = new Random(42);
        Router router = Router.create();
        Set<String> seen = new HashSet<>();
        while (seen.size() < 400) {
            String p = pattern(rnd);
            if (p.isEmpty() || !seen.add(p)) continue;
            router.on(p, ctx -> { });
        }
        RouteTable table = router.build();
        int checked = 0;
        for (int i = 0; i < 20_000; i++) {
            String topic = topic(rnd);
            if (TestSupport.checkAgainstBruteForce(table, topic, "unusual levels") != null) checked++;
        }
        assertThat(checked).as("topics that matched something").isGreaterThan(1000);
    }

    private static String pattern(Random rnd) {
        int n = 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append('/');
            int k = rnd.nextInt(10);
            if (k == 0) sb.append('+');
            else if (k == 1 && i == n - 1) sb.append('#');
            else sb.append(LEVELS[rnd.nextInt(LEVELS.length)]);
        }
        return sb.toString();
    }

    private static String topic(Random rnd) {
        int n = 1 + rnd.nextInt(5);
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(20) == 0) sb.append('$');
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append('/');
            sb.append(LEVELS[rnd.nextInt(LEVELS.length)]);
        }
        return sb.toString();
    }
}
