package io.routemq.core.internal;

import io.routemq.core.Route;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that ends one route and has nothing below it is a leaf: the edge to it holds the route, so it gets no id and
 * no entry in the trie's per-node arrays (a third of the nodes of a 10k-route table). Matching through leaves is
 * checked against a reference matcher by {@code TrieAgainstReferenceTest}; this checks that leaves take no room.
 */
class TrieLeavesTest {

    @Test
    void leavesHaveNoNodeRecord() {
        Router router = Router.create();
        for (String p : new String[] {"a/b", "a/b/e", "a/c", "a/{x}/d", "x/#", "y/+"}) router.on(p, ctx -> { });
        RouteTable table = router.build();
        TrieBuilder b = new TrieBuilder(table.routes().toArray(Route[]::new));
        // records: root, a, b (ends a/b, has e below), the + below a, y; leaves: e, c, d, x (one multi-level route), the + below y
        assertThat(b.nodeAux).hasSize(5);
        assertThat(b.firstRoutes).hasSize(10);
        assertThat(b.exactLists.length).isEqualTo(5);

        assertThat(table.match("a/b").route().pattern().pattern()).isEqualTo("a/b");
        assertThat(table.match("a/b/e").route().pattern().pattern()).isEqualTo("a/b/e");
        assertThat(table.match("a/c").route().pattern().pattern()).isEqualTo("a/c");
        assertThat(table.match("a/q/d").params()).containsEntry("x", "q");
        assertThat(table.match("x").route().pattern().pattern()).isEqualTo("x/#");
        assertThat(table.match("x/1/2").route().pattern().pattern()).isEqualTo("x/#");
        assertThat(table.match("y/1").route().pattern().pattern()).isEqualTo("y/+");
        assertThat(table.match("a/q")).isNull();
        assertThat(table.matchAll("a/b/e")).hasSize(1);
    }
}
