package io.routemq.core.internal;

import io.routemq.core.Route;
import io.routemq.core.Subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * Computes the MQTT subscriptions of a route table. Routes are grouped by session and share group; within a group,
 * equal filters are merged, a filter covered by another filter of the group (every topic it matches, the other
 * matches too) is dropped, and each remaining filter takes the highest QoS of every filter it covers. Coverage is
 * found with a filter trie, so planning stays near-linear for 100k routes.
 *
 * <p>Public only because {@code io.routemq.core.RouteTable}, in this module, uses it; not API: other modules must not
 * use it.
 */
public final class SubscriptionPlanner {

    private SubscriptionPlanner() {
    }

    private record GroupKey(String session, String sharedGroup) {
    }

    private static final class FilterNode {
        final Map<String, FilterNode> literals = new HashMap<>();
        FilterNode plus;
        int exactId = -1;
        int hashId = -1;
    }

    /** Plans the subscriptions for the routes, in order of first appearance. */
    public static List<Subscription> plan(List<Route> routes) {
        Map<GroupKey, LinkedHashMap<String, Integer>> groups = new LinkedHashMap<>();
        Map<GroupKey, Integer> workers = new HashMap<>();
        for (Route r : routes) {
            GroupKey key = new GroupKey(r.session(), r.sharedGroup());
            groups.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(r.pattern().toFilter(), r.qos(), Math::max);
            workers.merge(key, r.workers(), Math::max);
        }
        List<Subscription> out = new ArrayList<>();
        groups.forEach((key, filters) -> {
            int w = workers.get(key);
            for (Map.Entry<String, Integer> e : reduce(filters).entrySet()) {
                out.add(new Subscription(key.session(), e.getKey(), e.getValue(), key.sharedGroup(), w));
            }
        });
        return List.copyOf(out);
    }

    /** Drops covered filters and raises the QoS of the covering ones. */
    static LinkedHashMap<String, Integer> reduce(LinkedHashMap<String, Integer> filters) {
        List<String> list = new ArrayList<>(filters.keySet());
        List<String[]> split = new ArrayList<>(list.size());
        FilterNode root = new FilterNode();
        for (int id = 0; id < list.size(); id++) {
            String[] levels = list.get(id).split("/", -1);
            split.add(levels);
            FilterNode node = root;
            for (int i = 0; i < levels.length; i++) {
                String l = levels[i];
                if (l.equals("#")) {
                    node.hashId = id;
                    node = null;
                    break;
                }
                if (l.equals("+")) {
                    if (node.plus == null) node.plus = new FilterNode();
                    node = node.plus;
                } else {
                    node = node.literals.computeIfAbsent(l, k -> new FilterNode());
                }
            }
            if (node != null) node.exactId = id;
        }
        int[] qos = new int[list.size()];
        boolean[] covered = new boolean[list.size()];
        List<List<Integer>> coveredBy = new ArrayList<>(list.size());
        for (int id = 0; id < list.size(); id++) {
            qos[id] = filters.get(list.get(id));
            List<Integer> by = new ArrayList<>(0);
            String[] levels = split.get(id);
            boolean dollar = levels[0].startsWith("$");
            collectCovering(root, levels, 0, dollar, id, by);
            covered[id] = !by.isEmpty();
            coveredBy.add(by);
        }
        for (int id = 0; id < list.size(); id++) {
            for (int g : coveredBy.get(id)) if (!covered[g]) qos[g] = Math.max(qos[g], qos[id]);
        }
        LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
        for (int id = 0; id < list.size(); id++) {
            if (!covered[id]) out.put(list.get(id), qos[id]);
        }
        return out;
    }

    /**
     * Adds the ids of every other filter that covers {@code f[i..]} from {@code node}. Loops down the tree and
     * recurses only where a literal level can go both to its literal child and to the {@code +} child, so filters of
     * thousands of levels need no deep stack.
     */
    private static void collectCovering(FilterNode node, String[] f, int i, boolean dollar, int self, List<Integer> out) {
        while (true) {
            boolean wildcardsAllowed = !(i == 0 && dollar);
            if (i == f.length) {
                add(node.exactId, self, out);
                add(node.hashId, self, out);
                return;
            }
            if (wildcardsAllowed) add(node.hashId, self, out);
            String level = f[i];
            if (level.equals("#")) return;
            FilterNode next;
            if (level.equals("+")) {
                next = node.plus;
            } else {
                FilterNode lit = node.literals.get(level);
                FilterNode plus = wildcardsAllowed ? node.plus : null;
                if (lit != null && plus != null) {
                    collectCovering(lit, f, i + 1, dollar, self, out);
                    next = plus;
                } else {
                    next = lit != null ? lit : plus;
                }
            }
            if (next == null) return;
            node = next;
            i++;
        }
    }

    private static void add(int id, int self, List<Integer> out) {
        if (id >= 0 && id != self && !out.contains(id)) out.add(id);
    }

}
