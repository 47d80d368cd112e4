package io.routemq.config;

/**
 * Finds the usual cause of a YAML syntax error in a route: a topic with a {@code {param}} written without quotes
 * where YAML reads {@code {} as the start of a map, as in flow style ({@code - { topic: a/{id}/b, to: [x] }}) or at
 * the start of a value ({@code topic: {id}/data}).
 */
final class FlowStyle {

    /**
     * An unquoted topic with a parameter.
     *
     * @param at    where the topic starts
     * @param key   the key it is the value of, or null (a list item)
     * @param topic the topic as written
     */
    record Unquoted(Node.Location at, String key, String topic) {
        /** The problem, for the error message. */
        String problem() {
            return (topic.contains("/") ? "the topic '" : "'") + topic + "' must be quoted: YAML reads its '{' as the start of a map";
        }

        /** What to write instead. */
        String hint() {
            return "write " + (key == null ? "" : key + ": ") + "'" + topic + "'; in flow style ({ ... } and [ ... ]) quote every "
                    + "value that has a '{'";
        }
    }

    private FlowStyle() {
    }

    /** Looks for an unquoted {@code {param}} topic on the given 1-based line, then on the line before it. */
    static Unquoted find(String text, int line) {
        String[] lines = text.split("\n", -1);
        for (int n = line; n >= Math.max(1, line - 1); n--) {
            if (n > lines.length) continue;
            Unquoted u = onLine(lines[n - 1], n);
            if (u != null) return u;
        }
        return null;
    }

    private static Unquoted onLine(String l, int lineNumber) {
        for (int i = l.indexOf('{'); i >= 0; i = l.indexOf('{', i + 1)) {
            int close = paramEnd(l, i);
            if (close < 0 || insideQuotes(l, i)) continue;
            char before = i == 0 ? ' ' : l.charAt(i - 1);
            boolean midScalar = !Character.isWhitespace(before) && "[{,:".indexOf(before) < 0;
            boolean startsTopic = close + 1 < l.length() && l.charAt(close + 1) == '/';
            if (!midScalar && !startsTopic) continue;
            int start = i;
            while (start > 0 && !Character.isWhitespace(l.charAt(start - 1)) && "[{,".indexOf(l.charAt(start - 1)) < 0) start--;
            int end = start;
            while (end < l.length()) {
                char c = l.charAt(end);
                if (c == '{') {
                    int e = paramEnd(l, end);
                    if (e < 0) break;
                    end = e + 1;
                    continue;
                }
                if (Character.isWhitespace(c) || c == ',' || c == ']' || c == '}' || c == '#') break;
                end++;
            }
            String key = null;
            String left = l.substring(0, start).stripTrailing();
            if (left.endsWith(":")) {
                int k = left.length() - 1;
                while (k > 0 && (Character.isLetterOrDigit(left.charAt(k - 1)) || left.charAt(k - 1) == '_')) k--;
                if (k < left.length() - 1) key = left.substring(k, left.length() - 1);
            }
            return new Unquoted(new Node.Location(lineNumber, start + 1), key, l.substring(start, end));
        }
        return null;
    }

    /** The index of the '}' closing a {@code {name}} or {@code {name...}} that starts at {@code open}, or -1. */
    private static int paramEnd(String l, int open) {
        int j = open + 1;
        if (j >= l.length() || !(Character.isLetter(l.charAt(j)) || l.charAt(j) == '_')) return -1;
        while (j < l.length() && (Character.isLetterOrDigit(l.charAt(j)) || l.charAt(j) == '_')) j++;
        if (l.startsWith("...", j)) j += 3;
        return j < l.length() && l.charAt(j) == '}' ? j : -1;
    }

    private static boolean insideQuotes(String l, int index) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < index; i++) {
            char c = l.charAt(i);
            if (c == '\'' && !dbl) single = !single;
            else if (c == '"' && !single) dbl = !dbl;
        }
        return single || dbl;
    }
}
