package io.routemq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link TopicPattern#covers(TopicPattern)}: examples, and an exhaustive check against the reference matcher. */
class TopicPatternCoversTest {

    private static boolean covers(String a, String b) {
        return TopicPattern.parse(a).covers(TopicPattern.parse(b));
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource(delimiter = ' ', value = {
            "# # true",
            "# +/+ true",
            "# test/nosubscribe true",
            "test/nosubscribe # false",
            "test/nosubscribe +/+ false",
            "test/nosubscribe test/nosubscribe true",
            "a/# a true",
            "a/# a/+/c true",
            "a/# a/# true",
            "a/+ a/b true",
            "a/+ a/# false",
            "a/+ a false",
            "a/+/c a/b/c true",
            "a/+/c a/# false",
            "a/b a/+ false",
            "a a/# false",
            "+/# a true",
            "+ a/b false",
            "# $SYS/x false",
            "# $SYS/# false",
            "+/x $SYS/x false",
            "$SYS/# $SYS/x true",
            "$SYS/+ $SYS/x true",
            "+/+ +/+ true",
            "a/{x} a/b true",
            "a/{x} a/+ true",
            "a/{rest...} a/b/c true",
            "a/b a/{x} false",
            "a//b a/+/b false",
            "a/+/b a//b true"})
    void examples(String a, String b, boolean expected) {
        assertThat(covers(a, b)).isEqualTo(expected);
    }

    @Test
    void everyPatternCoversItself() {
        for (String f : filters()) {
            assertThat(covers(f, f)).as(f).isTrue();
        }
    }

    /**
     * For every pair of filters of up to 3 levels over {@code a}, {@code $s}, {@code +} and {@code #}: {@code covers}
     * agrees with "every topic the second matches, the first matches too", decided by the reference matcher over
     * every topic of up to 4 levels over {@code a}, {@code $s}, {@code c} (any other value) and the empty level.
     */
    @Test
    void agreesWithSubsetOfMatchedTopicsExhaustively() {
        List<String> filters = filters();
        List<String> topics = topics();
        int pairs = 0;
        int covering = 0;
        for (String a : filters) {
            for (String b : filters) {
                boolean subset = true;
                for (String t : topics) {
                    if (ReferenceMqtt.matches(b, t) && !ReferenceMqtt.matches(a, t)) {
                        subset = false;
                        break;
                    }
                }
                assertThat(covers(a, b)).as("%s covers %s", a, b).isEqualTo(subset);
                pairs++;
                covering += subset ? 1 : 0;
            }
        }
        System.out.printf("covers: %d filter pairs checked against %d topics, %d covering%n", pairs, topics.size(), covering);
        assertThat(pairs).isGreaterThan(1000);
        assertThat(covering).isGreaterThan(100);
    }

    private static List<String> filters() {
        List<String> out = new ArrayList<>();
        String[] levels = {"a", "$s", "+", "#"};
        expand("", 0, 3, levels, out, true);
        return out;
    }

    private static List<String> topics() {
        List<String> out = new ArrayList<>();
        String[] levels = {"a", "$s", "c", ""};
        expand("", 0, 4, levels, out, false);
        return out;
    }

    private static void expand(String prefix, int depth, int max, String[] levels, List<String> out, boolean filter) {
        if (depth == max) {
            return;
        }
        for (String l : levels) {
            String s = depth == 0 ? l : prefix + "/" + l;
            if (filter && l.equals("#")) {
                out.add(s);
                continue;
            }
            if (!(depth == 0 && l.isEmpty() && !filter && max == 1)) {
                out.add(s);
            }
            expand(s, depth + 1, max, levels, out, filter);
        }
    }
}
