package io.routemq.core;

import io.routemq.core.TopicPattern.Level;
import io.routemq.core.TopicPattern.LevelKind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static io.routemq.core.TopicPattern.LevelKind.LITERAL;
import static io.routemq.core.TopicPattern.LevelKind.MULTI_PARAM;
import static io.routemq.core.TopicPattern.LevelKind.MULTI_WILDCARD;
import static io.routemq.core.TopicPattern.LevelKind.PARAM;
import static io.routemq.core.TopicPattern.LevelKind.SINGLE_WILDCARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Pattern syntax: what parses, into which levels, and every way a pattern is rejected (with its position). */
class TopicPatternTest {

    private static List<LevelKind> kinds(String pattern) {
        return TopicPattern.parse(pattern).levels().stream().map(Level::kind).toList();
    }

    @Nested
    class ValidSyntax {
        @Test
        void literalLevels() {
            TopicPattern p = TopicPattern.parse("sensors/kitchen/temperature");
            assertThat(p.levels()).containsExactly(new Level(LITERAL, "sensors"), new Level(LITERAL, "kitchen"),
                    new Level(LITERAL, "temperature"));
            assertThat(p.paramNames()).isEmpty();
            assertThat(p.isLiteral()).isTrue();
            assertThat(p.isMultiLevel()).isFalse();
            assertThat(p.toFilter()).isEqualTo("sensors/kitchen/temperature");
            assertThat(p.pattern()).isEqualTo("sensors/kitchen/temperature");
            assertThat(p).hasToString("sensors/kitchen/temperature");
        }

        @Test
        void namedParameters() {
            TopicPattern p = TopicPattern.parse("fleet/{fleetId}/trucks/{truck_2}/gps");
            assertThat(kinds("fleet/{fleetId}/trucks/{truck_2}/gps")).containsExactly(LITERAL, PARAM, LITERAL, PARAM, LITERAL);
            assertThat(p.levels().get(1)).isEqualTo(new Level(PARAM, "fleetId"));
            assertThat(p.paramNames()).containsExactly("fleetId", "truck_2");
            assertThat(p.toFilter()).isEqualTo("fleet/+/trucks/+/gps");
            assertThat(p.isLiteral()).isFalse();
        }

        @Test
        void wildcards() {
            assertThat(kinds("a/+/b/#")).containsExactly(LITERAL, SINGLE_WILDCARD, LITERAL, MULTI_WILDCARD);
            assertThat(TopicPattern.parse("a/+/b/#").toFilter()).isEqualTo("a/+/b/#");
            assertThat(TopicPattern.parse("a/+/b/#").isMultiLevel()).isTrue();
            assertThat(kinds("#")).containsExactly(MULTI_WILDCARD);
            assertThat(kinds("+")).containsExactly(SINGLE_WILDCARD);
            assertThat(kinds("+/+")).containsExactly(SINGLE_WILDCARD, SINGLE_WILDCARD);
            assertThat(TopicPattern.parse("+/#").paramNames()).isEmpty();
        }

        @Test
        void multiLevelCapture() {
            TopicPattern p = TopicPattern.parse("files/{path...}");
            assertThat(p.levels()).containsExactly(new Level(LITERAL, "files"), new Level(MULTI_PARAM, "path"));
            assertThat(p.paramNames()).containsExactly("path");
            assertThat(p.toFilter()).isEqualTo("files/#");
            assertThat(p.isMultiLevel()).isTrue();
            assertThat(kinds("{all...}")).containsExactly(MULTI_PARAM);
            assertThat(TopicPattern.parse("{all...}").toFilter()).isEqualTo("#");
        }

        @Test
        void emptyLevelsAreLevels() {
            assertThat(TopicPattern.parse("a//b").levels()).containsExactly(new Level(LITERAL, "a"), new Level(LITERAL, ""),
                    new Level(LITERAL, "b"));
            assertThat(TopicPattern.parse("/a").levels()).containsExactly(new Level(LITERAL, ""), new Level(LITERAL, "a"));
            assertThat(TopicPattern.parse("a/").levels()).containsExactly(new Level(LITERAL, "a"), new Level(LITERAL, ""));
            assertThat(TopicPattern.parse("/").levels()).containsExactly(new Level(LITERAL, ""), new Level(LITERAL, ""));
            assertThat(TopicPattern.parse("a//b").toFilter()).isEqualTo("a//b");
        }

        @Test
        void dollarTopicsAndOddCharactersAreLiterals() {
            assertThat(kinds("$SYS/broker/#")).containsExactly(LITERAL, LITERAL, MULTI_WILDCARD);
            assertThat(TopicPattern.parse("$share").levels()).containsExactly(new Level(LITERAL, "$share"));
            assertThat(TopicPattern.parse("a.b/*/(x)/[y]/\\d/^$/é/日本").levels()).extracting(Level::kind)
                    .containsOnly(LITERAL);
            assertThat(TopicPattern.parse(" a /b c").levels()).containsExactly(new Level(LITERAL, " a "), new Level(LITERAL, "b c"));
        }

        @Test
        void paramNamesMayHoldLettersDigitsAndUnderscores() {
            assertThat(TopicPattern.parse("{_}/{a1}/{Z_9z}").paramNames()).containsExactly("_", "a1", "Z_9z");
        }

        @Test
        void equalityIsByPatternText() {
            assertThat(TopicPattern.parse("a/{x}")).isEqualTo(TopicPattern.parse("a/{x}"))
                    .hasSameHashCodeAs(TopicPattern.parse("a/{x}"))
                    .isNotEqualTo(TopicPattern.parse("a/{y}"))
                    .isNotEqualTo(TopicPattern.parse("a/+"));
        }

        @Test
        void exactly65535BytesIsAccepted() {
            assertThat(TopicPattern.parse("a".repeat(65_535)).pattern()).hasSize(65_535);
            // 2-byte chars: 32,767 x 2 + 1 = 65,535 bytes
            assertThat(TopicPattern.parse("é".repeat(32_767) + "a").levels()).hasSize(1);
            // 3-byte chars: 21,845 x 3 = 65,535 bytes
            assertThat(TopicPattern.parse("€".repeat(21_845)).levels()).hasSize(1);
            // 4-byte chars (surrogate pairs): 16,383 x 4 + 3 = 65,535 bytes
            assertThat(TopicPattern.parse("😀".repeat(16_383) + "a/b").levels()).hasSize(2);
        }
    }

    @Nested
    class Levels {
        @ParameterizedTest
        @CsvSource({"sensors/kitchen/temperature", "fleet/{fleetId}/trucks/{truck_2}/gps", "a/+/b/#", "files/{path...}",
                "a//b", "/", "#", "+", "$SYS/{x}/+", "é/日本/{p}", "a/{x}/b/{rest...}"})
        void eachLevelIsWhatTheLevelListSays(String pattern) {
            TopicPattern p = TopicPattern.parse(pattern);
            List<Level> levels = p.levels();
            assertThat(p.levelCount()).isEqualTo(levels.size());
            for (int i = 0; i < levels.size(); i++) {
                assertThat(p.level(i)).isEqualTo(levels.get(i));
                assertThat(p.levelKind(i)).isEqualTo(levels.get(i).kind());
            }
            assertThat(String.join("/", levels.stream().map(Level::filterText).toList())).isEqualTo(p.toFilter());
        }

        @Test
        void levelTextsAreCutFromThePattern() {
            TopicPattern p = TopicPattern.parse("a/{x}/+/{rest...}");
            assertThat(p.levels()).containsExactly(new Level(LITERAL, "a"), new Level(PARAM, "x"),
                    new Level(SINGLE_WILDCARD, "+"), new Level(MULTI_PARAM, "rest"));
            assertThat(TopicPattern.ofFilter("a/{x}/#").levels()).containsExactly(new Level(LITERAL, "a"),
                    new Level(LITERAL, "{x}"), new Level(MULTI_WILDCARD, "#"));
        }

        @Test
        void patternsShareTheirParameterNames() {
            // one String per name, not one per pattern: thousands of routes repeat {id}
            TopicPattern a = TopicPattern.parse("site/s1/device/{id}/config");
            TopicPattern b = TopicPattern.parse("site/s2/device/{id}/config");
            assertThat(b.paramNames().get(0)).isEqualTo("id").isSameAs(a.paramNames().get(0));
        }

        @Test
        void aPatternWithoutParametersIsItsOwnFilter() {
            // no second copy of the text: a table of 10k routes kept one per route
            TopicPattern literal = TopicPattern.parse("site/s1/device/d2/status");
            assertThat(literal.toFilter()).isSameAs(literal.pattern());
            TopicPattern wild = TopicPattern.parse("site/+/gateway/#");
            assertThat(wild.toFilter()).isSameAs(wild.pattern());
        }
    }

    @Nested
    class Bind {
        @Test
        void bindsParamsInPatternOrder() {
            Map<String, String> p = TopicPattern.parse("fleet/{fleetId}/trucks/{truckId}/gps").bind("fleet/7/trucks/42/gps");
            assertThat(p).containsExactly(Map.entry("fleetId", "7"), Map.entry("truckId", "42"));
            assertThatThrownBy(() -> p.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void bindsMultiLevelCapture() {
            TopicPattern p = TopicPattern.parse("files/{path...}");
            assertThat(p.bind("files/a/b/c.txt")).containsExactly(Map.entry("path", "a/b/c.txt"));
            assertThat(p.bind("files/x")).containsExactly(Map.entry("path", "x"));
            assertThat(p.bind("files//x/")).containsExactly(Map.entry("path", "/x/"));
            // '#' matches the parent level: the capture is then empty
            assertThat(p.bind("files")).containsExactly(Map.entry("path", ""));
            assertThat(p.bind("files/")).containsExactly(Map.entry("path", ""));
            assertThat(TopicPattern.parse("{dev}/{rest...}").bind("d1/a/b"))
                    .containsExactly(Map.entry("dev", "d1"), Map.entry("rest", "a/b"));
        }

        @Test
        void bindsEmptyLevels() {
            assertThat(TopicPattern.parse("a/{x}/b").bind("a//b")).containsExactly(Map.entry("x", ""));
            assertThat(TopicPattern.parse("{x}/{y}").bind("/")).containsExactly(Map.entry("x", ""), Map.entry("y", ""));
        }

        @Test
        void patternWithoutParamsBindsNothing() {
            assertThat(TopicPattern.parse("a/+/#").bind("a/b/c")).isEmpty();
        }

        @Test
        void refusesTopicsThatDoNotMatch() {
            assertThatThrownBy(() -> TopicPattern.parse("a/b").bind("a/c"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/c'").hasMessageContaining("'a/b'");
            assertThatThrownBy(() -> TopicPattern.parse("a/{x}").bind("a"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
            assertThatThrownBy(() -> TopicPattern.parse("a/{x}").bind("b/1"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
            assertThatThrownBy(() -> TopicPattern.parse("a/{x}").bind("a/1/2"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
            assertThatThrownBy(() -> TopicPattern.parse("{x}/b").bind("$SYS/b"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
        }
    }

    /** Every kind of invalid pattern, with the 1-based position the exception must report. */
    @Nested
    class Invalid {

        private InvalidPatternException reject(String pattern) {
            InvalidPatternException e = catchThrowableOfType(InvalidPatternException.class, () -> TopicPattern.parse(pattern));
            assertThat(e).as("pattern '%s' must be rejected", pattern).isNotNull();
            assertThat(e.pattern()).isEqualTo(pattern);
            return e;
        }

        private void rejectAt(String pattern, int position, String messagePart) {
            InvalidPatternException e = reject(pattern);
            assertThat(e.position()).as("position for '%s': %s", pattern, e.getMessage()).isEqualTo(position);
            assertThat(e.getMessage()).contains("(position " + position + ")").contains(messagePart)
                    .startsWith("topic pattern '");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "a/#/b | 3",
                "#/a   | 1",
                "#/#   | 1",
                "a/#/  | 3",
                "a/b/#/c/d | 5",
        })
        void hashNotLast(String pattern, int position) {
            rejectAt(pattern, position, "'#' must be the last level");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "a/b+/c | 4",
                "a/+b   | 3",
                "++     | 1",
                "a+     | 2",
                "x/{+}  | 4",
        })
        void plusInsideALevel(String pattern, int position) {
            rejectAt(pattern, position, "'+' must occupy a whole level");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "a#      | 2",
                "a/b#    | 4",
                "a/#b    | 3",
                "##      | 1",
                "a/#b/c  | 3",
                "a/+#    | 4",
        })
        void hashInsideALevel(String pattern, int position) {
            rejectAt(pattern, position, "'#' must occupy a whole level");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "{id       | 1",
                "a/{id     | 3",
                "a/{id/b   | 3",
                "a/b/{     | 5",
                "a/{x.../b | 3",
        })
        void unclosedBrace(String pattern, int position) {
            rejectAt(pattern, position, "unclosed '{'");
        }

        @Test
        void closingBraceWithoutOpening() {
            rejectAt("a/id}", 5, "'}' without a matching '{'");
            rejectAt("}", 1, "'}' without a matching '{'");
        }

        @Test
        void parameterNotAWholeLevel() {
            rejectAt("a/x{id}", 4, "a parameter must occupy a whole level");
            rejectAt("a/{id}x", 7, "a parameter must occupy a whole level");
            rejectAt("a/{id}{b}", 7, "a parameter must occupy a whole level");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "a/{id}/{id}          | 8",
                "{x}/{x}              | 5",
                "{x}/b/{x...}         | 7",
                "{a}/{b}/{a}/{b}      | 9",
        })
        void duplicateParameterName(String pattern, int position) {
            rejectAt(pattern, position, "duplicate parameter name");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "a/{}      | 3",
                "{}        | 1",
                "a/{...}   | 3",
                "{}/a      | 1",
        })
        void emptyParameterName(String pattern, int position) {
            rejectAt(pattern, position, "empty parameter name");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "a/{1x}       | 4",
                "a/{x-y}      | 5",
                "{a b}        | 3",
                "{a.b}        | 3",
                "{a....}      | 3",
                "a/{é}        | 4",
                "{x}/{ab$}    | 8",
                "a/{9...}     | 4",
                "{a{b}        | 3",
        })
        void badParameterName(String pattern, int position) {
            rejectAt(pattern, position, "may hold only letters, digits and '_'");
        }

        @ParameterizedTest(name = "''{0}'' -> position {1}")
        @CsvSource(delimiter = '|', value = {
                "{x...}/a          | 1",
                "a/{rest...}/b     | 3",
                "a/{rest...}/      | 3",
                "{x...}/{y...}     | 1",
        })
        void multiLevelCaptureNotLast(String pattern, int position) {
            rejectAt(pattern, position, "must be the last level");
        }

        @Test
        void sharePrefixInAPattern() {
            rejectAt("$share/workers/sensors/#", 1, "'$share/' does not belong in a route pattern");
            rejectAt("$share/g/a", 1, ".shared(group, workers)");
        }

        @Test
        void nulCharacter() {
            rejectAt("a/b\u0000c", 4, "NUL");
            rejectAt("\u0000", 1, "NUL");
            rejectAt("a/\u0000/#", 3, "NUL");
        }

        @Test
        void nullAndEmpty() {
            InvalidPatternException nul = catchThrowableOfType(InvalidPatternException.class, () -> TopicPattern.parse(null));
            assertThat(nul.position()).isZero();
            assertThat(nul.pattern()).isNull();
            assertThat(nul.getMessage()).contains("null").doesNotContain("position");

            InvalidPatternException empty = reject("");
            assertThat(empty.position()).isZero();
            assertThat(empty.getMessage()).contains("must not be empty");
        }

        @Test
        void over65535BytesInUtf8() {
            InvalidPatternException ascii = reject("a".repeat(65_536));
            assertThat(ascii.position()).isZero();
            assertThat(ascii.getMessage()).contains("65536 bytes").contains("at most 65535")
                    .contains("a".repeat(117) + "...").hasSizeLessThan(400);

            // 2-byte chars: 32,768 chars only, but 65,536 bytes
            assertThat(reject("é".repeat(32_768)).getMessage()).contains("65536 bytes");
            // 3-byte chars: 21,846 chars, 65,538 bytes
            assertThat(reject("€".repeat(21_846)).getMessage()).contains("65538 bytes");
            // 4-byte chars: 16,383 x 4 + 4 = 65,536 bytes in 32,770 chars
            assertThat(reject("😀".repeat(16_383) + "a/bc").getMessage()).contains("65536 bytes");
            // multi-byte counting right: 65,535 - 1 + 2 = 65,536 bytes in 65,535 chars
            assertThat(reject("a".repeat(65_534) + "é").getMessage()).contains("65536 bytes");
        }

        @Test
        void exceptionIsAnIllegalArgumentException() {
            assertThatThrownBy(() -> TopicPattern.parse("a/#/b")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("topic pattern 'a/#/b': '#' must be the last level (position 3)");
        }
    }
}
