package io.routemq.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TopicPattern#ofFilter}: an MQTT filter matched with the core's matching, braces literal. */
class TopicFilterPatternTest {

    @Test
    void wildcardsMatchAsInMqtt() {
        assertThat(TopicPattern.ofFilter("a/+/c").matches("a/b/c")).isTrue();
        assertThat(TopicPattern.ofFilter("a/+/c").matches("a/b/c/d")).isFalse();
        assertThat(TopicPattern.ofFilter("a/#").matches("a")).isTrue();
        assertThat(TopicPattern.ofFilter("a/#").matches("a/b/c")).isTrue();
        assertThat(TopicPattern.ofFilter("#").matches("$SYS/x")).isFalse();
        assertThat(TopicPattern.ofFilter("+/x").matches("$SYS/x")).isFalse();
        assertThat(TopicPattern.ofFilter("$SYS/#").matches("$SYS/x")).isTrue();
        assertThat(TopicPattern.ofFilter("a//b").matches("a//b")).isTrue();
        assertThat(TopicPattern.ofFilter("a/+/b").matches("a//b")).isTrue();
    }

    @Test
    void bracesAreLiteralInAFilter() {
        TopicPattern f = TopicPattern.ofFilter("a/{id}/b");
        assertThat(f.matches("a/{id}/b")).isTrue();
        assertThat(f.matches("a/x/b")).isFalse();
        assertThat(f.paramNames()).isEmpty();
    }

    @Test
    void agreesWithTheReferenceMatcher() {
        String[] filters = {"#", "+", "a", "a/#", "a/+", "+/b", "a/+/c", "+/+", "a/b/#", "$SYS/#", "/+", "+/", "a//#"};
        String[] topics = {"a", "a/b", "a/b/c", "b", "/", "/a", "a/", "$SYS/x", "a//c", "a/b/c/d", ""};
        for (String f : filters) {
            for (String t : topics) {
                if (t.isEmpty()) continue;
                assertThat(TopicPattern.ofFilter(f).matches(t)).as("%s ~ %s", f, t).isEqualTo(ReferenceMqtt.matches(f, t));
            }
        }
    }

    @Test
    void badFiltersAreRefused() {
        assertThatThrownBy(() -> TopicPattern.ofFilter("a/#/b")).isInstanceOf(InvalidPatternException.class).hasMessageContaining("last level");
        assertThatThrownBy(() -> TopicPattern.ofFilter("a/b+")).isInstanceOf(InvalidPatternException.class).hasMessageContaining("whole level");
        assertThatThrownBy(() -> TopicPattern.ofFilter("")).isInstanceOf(InvalidPatternException.class);
    }
}
