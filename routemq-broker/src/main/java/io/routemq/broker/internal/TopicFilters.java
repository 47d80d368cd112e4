package io.routemq.broker.internal;

/**
 * MQTT topic filter algebra used by the ACL: match, cover and intersect. Wildcards at the first level never match
 * topics that start with {@code $} (MQTT 3.1.1 4.7.2, MQTT 5 4.7.2).
 */
public final class TopicFilters {

    private TopicFilters() {
    }

    /** @return the filter without a {@code $share/GROUP/} prefix */
    public static String stripShare(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', 7);
            if (slash > 0) {
                return filter.substring(slash + 1);
            }
        }
        return filter;
    }

    /** @return whether the topic name matches the filter */
    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && isWildcard(f[0])) {
            return false;
        }
        int i = 0;
        for (; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return i == t.length;
    }

    /** @return whether every topic that matches {@code sub} also matches {@code rule} */
    public static boolean covers(String rule, String sub) {
        String[] r = rule.split("/", -1);
        String[] s = sub.split("/", -1);
        if (s[0].startsWith("$") && isWildcard(r[0])) {
            return false;
        }
        int i = 0;
        for (; i < r.length; i++) {
            if (r[i].equals("#")) {
                return true;
            }
            if (i >= s.length) {
                return false;
            }
            if (s[i].equals("#")) {
                return false;
            }
            if (r[i].equals("+")) {
                continue;
            }
            if (s[i].equals("+") || !r[i].equals(s[i])) {
                return false;
            }
        }
        return i == s.length;
    }

    /** @return whether some topic matches both filters */
    public static boolean intersects(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        if ((x[0].startsWith("$") && isWildcard(y[0])) || (y[0].startsWith("$") && isWildcard(x[0]))) {
            return false;
        }
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            if (x[i].equals("#") || y[i].equals("#")) {
                return true;
            }
            if (x[i].equals("+") || y[i].equals("+")) {
                continue;
            }
            if (!x[i].equals(y[i])) {
                return false;
            }
        }
        if (x.length == y.length) {
            return true;
        }
        String[] longer = x.length > y.length ? x : y;
        // "a/#" also matches "a"
        return longer.length == n + 1 && longer[n].equals("#");
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }
}
