package io.routemq.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 section 4.7 matching, checked both through {@link TopicPattern#matches} and through a {@link RouteTable}
 * holding the single pattern (the trie). Each row: pattern, topic, expected.
 */
class MqttMatchingTest {

    private static void check(String pattern, String topic, boolean expected) {
        assertThat(TopicPattern.parse(pattern).matches(topic))
                .as("TopicPattern('%s').matches('%s')", pattern, topic).isEqualTo(expected);
        Router router = Router.create();
        router.on(pattern, TestSupport.NOOP);
        RouteTable table = router.build();
        Match m = table.match(topic);
        if (expected) {
            assertThat(m).as("route table '%s' on '%s'", pattern, topic).isNotNull();
            assertThat(m.route().pattern().pattern()).isEqualTo(pattern);
            assertThat(table.matchAll(topic)).hasSize(1);
            assertThat(table.resolve(topic)).hasSize(1);
        } else {
            assertThat(m).as("route table '%s' on '%s'", pattern, topic).isNull();
            assertThat(table.matchAll(topic)).isEmpty();
            assertThat(table.resolve(topic)).isEmpty();
        }
    }

    @ParameterizedTest(name = "''{0}'' vs ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            // literals
            "a/b/c       | a/b/c       | true",
            "a/b/c       | a/b         | false",
            "a/b         | a/b/c       | false",
            "a/b/c       | a/b/d       | false",
            "a           | a           | true",
            // single-level: exactly one level, possibly empty
            "a/+/c       | a/b/c       | true",
            "a/+/c       | a//c        | true",
            "a/+/c       | a/b/x/c     | false",
            "a/+         | a           | false",
            "a/+         | a/          | true",
            "+           | a           | true",
            "+           | a/b         | false",
            "+/+         | /           | true",
            "+/+         | a           | false",
            "/+          | /finance    | true",
            "+           | /finance    | false",
            "+/+         | /finance    | true",
            // multi-level, including the parent level
            "a/#         | a           | true",
            "a/#         | a/          | true",
            "a/#         | a/b         | true",
            "a/#         | a/b/c/d     | true",
            "a/#         | ab          | false",
            "a/#         | b/a         | false",
            "sport/tennis/player1/# | sport/tennis/player1                  | true",
            "sport/tennis/player1/# | sport/tennis/player1/ranking          | true",
            "sport/tennis/player1/# | sport/tennis/player1/score/wimbledon  | true",
            "sport/tennis/player1/# | sport/tennis/player2                  | false",
            "#           | a           | true",
            "#           | a/b/c       | true",
            "#           | /           | true",
            "+/#         | a           | true",
            "+/#         | a/b/c       | true",
            "a/+/#       | a           | false",
            "a/+/#       | a/b         | true",
            // empty levels are levels
            "a//b        | a//b        | true",
            "a//b        | a/b         | false",
            "a/b         | a//b        | false",
            "/a          | /a          | true",
            "/a          | a           | false",
            "a/          | a/          | true",
            "a/          | a           | false",
            "a           | a/          | false",
            "/           | /           | true",
            "//          | //          | true",
            "//          | /           | false",
            // case-sensitive
            "ACCOUNTS    | Accounts    | false",
            "a/B         | a/b         | false",
            "sensors/Temp | sensors/Temp | true",
            // the $ rule: wildcards and parameters at the first level do not match $ topics
            "#           | $SYS        | false",
            "#           | $SYS/x      | false",
            "+/x         | $SYS/x      | false",
            "+/#         | $SYS/x      | false",
            "+           | $          | false",
            "$SYS/#      | $SYS/x      | true",
            "$SYS/#      | $SYS        | true",
            "$SYS/+      | $SYS/x      | true",
            "$SYS/monitor/+ | $SYS/monitor/Clients | true",
            "$SYS/x      | $SYS/x      | true",
            "$sys/#      | $SYS/x      | false",
            "a/#         | a/$SYS      | true",
            "a/+         | a/$x        | true",
            // topics are matched as given: nothing is a regular expression
            "a.b         | a.b         | true",
            "a.b         | aXb         | false",
            "a*          | aaa         | false",
            "a*          | a*          | true",
            "*           | anything    | false",
            "(x)         | (x)         | true",
            "(x)         | x           | false",
            "[ab]        | a           | false",
            "[ab]        | [ab]        | true",
            "\\d         | 1           | false",
            "\\d         | \\d         | true",
            "^a$         | a           | false",
            ".*          | x/y         | false",
            "a?          | a           | false",
            "é/日本       | é/日本       | true",
            "é           | e           | false",
    })
    void matches(String pattern, String topic, boolean expected) {
        check(pattern, topic, expected);
    }

    @ParameterizedTest(name = "''{0}'' vs ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            "sensors/{id}/data  | sensors/d1/data | true",
            "sensors/{id}/data  | sensors//data   | true",
            "sensors/{id}/data  | sensors/d1      | false",
            "{id}               | $SYS            | false",
            "{id}/data          | $SYS/data       | false",
            "{rest...}          | $SYS/x          | false",
            "{rest...}          | a/b             | true",
            "$SYS/{rest...}     | $SYS/x/y        | true",
            "files/{path...}    | files           | true",
            "files/{path...}    | files/a/b       | true",
            "files/{path...}    | filesx          | false",
            "{a}/{b}            | x               | false",
    })
    void parametersMatchLikeWildcards(String pattern, String topic, boolean expected) {
        check(pattern, topic, expected);
    }

    @Test
    void pipeAndOtherRegexSyntaxIsLiteral() {
        check("a|b", "a", false);
        check("a|b", "a|b", true);
        check("x/.*/y", "x/abc/y", false);
        check("x/.*/y", "x/.*/y", true);
    }

    @Test
    void paramsAreBoundFromTheTopicAsGiven() {
        Router router = Router.create();
        router.on("files/{path...}", TestSupport.NOOP);
        router.on("dev/{id}/x", TestSupport.NOOP);
        RouteTable table = router.build();
        assertThat(table.match("files/a/b/c").params()).containsExactly(Map.entry("path", "a/b/c"));
        assertThat(table.match("files").params()).containsExactly(Map.entry("path", ""));
        assertThat(table.match("files/").params()).containsExactly(Map.entry("path", ""));
        assertThat(table.match("dev/(.*)/x").params()).containsExactly(Map.entry("id", "(.*)"));
        assertThat(table.match("dev//x").params()).containsExactly(Map.entry("id", ""));
        assertThat(table.match("dev/$x/x").params()).containsExactly(Map.entry("id", "$x"));
    }
}
