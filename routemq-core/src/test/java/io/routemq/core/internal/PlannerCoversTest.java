package io.routemq.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.routemq.core.TopicPattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The subscription planner finds coverage with its own index of filters (a filter trie queried with filters, so that
 * planning 100k routes stays near-linear); the one definition of coverage is {@link TopicPattern#covers}. This
 * property checks the planner against it on random filter sets over a small alphabet (so that covering pairs,
 * equal-in-effect pairs such as {@code #} and {@code +/#}, and {@code $} topics are frequent).
 */
class PlannerCoversTest {

    @Property(tries = 2000)
    void thePlannerDropsExactlyWhatCoversSaysIsCovered(@ForAll("filterSets") List<String> filters,
                                                       @ForAll("qosList") List<Integer> qos) {
        LinkedHashMap<String, Integer> in = new LinkedHashMap<>();
        for (int i = 0; i < filters.size(); i++) in.merge(filters.get(i), qos.get(i % qos.size()), Math::max);
        LinkedHashMap<String, Integer> kept = SubscriptionPlanner.reduce(in);

        // every filter is delivered: kept, or covered by a kept filter
        for (String f : in.keySet()) {
            TopicPattern p = TopicPattern.ofFilter(f);
            boolean delivered = kept.containsKey(f)
                    || kept.keySet().stream().anyMatch(k -> TopicPattern.ofFilter(k).covers(p));
            assertThat(delivered).as("%s is kept or covered by a kept filter of %s", f, kept.keySet()).isTrue();
        }
        // nothing kept is redundant: no kept filter covers another kept filter
        for (String a : kept.keySet()) {
            for (String b : kept.keySet()) {
                if (!a.equals(b)) {
                    assertThat(TopicPattern.ofFilter(a).covers(TopicPattern.ofFilter(b)))
                            .as("kept %s covers kept %s (in %s)", a, b, kept.keySet()).isFalse();
                }
            }
        }
        // a kept filter's QoS is at least that of every filter it covers, and no more than the highest of those and its own
        for (Map.Entry<String, Integer> k : kept.entrySet()) {
            TopicPattern kp = TopicPattern.ofFilter(k.getKey());
            int max = in.get(k.getKey());
            for (Map.Entry<String, Integer> e : in.entrySet()) {
                if (kp.covers(TopicPattern.ofFilter(e.getKey()))) max = Math.max(max, e.getValue());
            }
            assertThat(k.getValue()).as("QoS of %s", k.getKey()).isEqualTo(max);
        }
    }

    @Provide
    Arbitrary<List<String>> filterSets() {
        Arbitrary<String> level = Arbitraries.of("a", "b", "+", "$s");
        Arbitrary<String> filter = level.list().ofMinSize(1).ofMaxSize(4)
                .flatMap(levels -> Arbitraries.of(true, false).map(hash -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < levels.size(); i++) {
                        String l = levels.get(i).equals("$s") && i > 0 ? "s" : levels.get(i);
                        if (i > 0) sb.append('/');
                        sb.append(l);
                    }
                    return hash ? (levels.size() == 1 && sb.toString().equals("+") ? "#" : sb + "/#") : sb.toString();
                }));
        return filter.list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Integer>> qosList() {
        return Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(12);
    }
}
