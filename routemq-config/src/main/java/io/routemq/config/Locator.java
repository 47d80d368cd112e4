package io.routemq.config;


/**
 * Finds where a key path such as {@code sinks.ingest.http.batch.size} or {@code routes[2].to[1]} is written, for
 * errors found after the file was read (when a module refuses its config). A key that is not written (a default)
 * is reported at the nearest enclosing key that is.
 */
public final class Locator {
    private Locator() {
    }

    /** Where the key path is written, or the nearest enclosing key that is, or the root. */
    public static Node.Location find(Node root, String path) {
        Node node = root;
        Node.Location best = root == null ? Node.Location.NONE : root.location();
        String rest = path;
        while (node != null && !rest.isEmpty()) {
            if (rest.startsWith("[") && node instanceof Node.ListNode list) {
                int close = rest.indexOf(']');
                int i;
                try {
                    i = Integer.parseInt(rest.substring(1, close));
                } catch (RuntimeException e) {
                    return best;
                }
                if (i < 0 || i >= list.items().size()) return best;
                node = list.items().get(i);
                best = node.location();
                rest = strip(rest.substring(close + 1));
                continue;
            }
            if (!(node instanceof Node.MapNode map)) return best;
            // the longest key that starts the rest: sink and broker names may contain dots
            Node.Entry found = null;
            for (Node.Entry e : map.view().values()) {
                String k = e.key();
                if (rest.startsWith(k) && (rest.length() == k.length() || rest.charAt(k.length()) == '.' || rest.charAt(k.length()) == '[')
                        && (found == null || k.length() > found.key().length())) {
                    found = e;
                }
            }
            if (found == null) return best;
            best = found.keyLocation();
            node = found.value();
            rest = strip(rest.substring(found.key().length()));
        }
        return best;
    }

    private static String strip(String s) {
        return s.startsWith(".") ? s.substring(1) : s;
    }
}
