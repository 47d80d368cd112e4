package io.routemq.bench.jmh;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The matcher of the Python RouteMQ, rebuilt as the baseline the trie is measured against: every route pattern is
 * compiled to one regular expression, and a topic is matched by trying the routes one after the other in
 * registration order; the first that matches wins.
 *
 * <p>The translation is the one the Python original is described by, kept faithfully, faults included:
 * {@code {name}} becomes {@code ([^/]+)}, {@code +} becomes {@code [^/]+}, {@code #} becomes {@code .*}, and nothing
 * else is escaped, so a {@code .} in a pattern matches any character. The expression is anchored at both ends
 * ({@code ^...$}, as {@code re.compile(f'^{pattern}$')} with {@code pattern.match(topic)}). As in the original, a
 * match captures the parameters as groups; they are not copied into a map here, just as
 * {@code RouteTable.match} does not bind them until asked.
 */
public final class RegexScanMatcher {
    private final Pattern[] patterns;

    /** Compiles every route pattern, in registration order. */
    public RegexScanMatcher(List<String> routePatterns) {
        patterns = new Pattern[routePatterns.size()];
        for (int i = 0; i < patterns.length; i++) patterns[i] = Pattern.compile(toRegex(routePatterns.get(i)));
    }

    /** The regular expression the Python RouteMQ would compile for a route pattern. */
    static String toRegex(String pattern) {
        StringBuilder sb = new StringBuilder(pattern.length() + 16).append('^');
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                // re.sub(r'{([^/]+)}', ...): from '{' to the last '}' of the same level
                int levelEnd = pattern.indexOf('/', i);
                if (levelEnd < 0) levelEnd = pattern.length();
                int close = pattern.lastIndexOf('}', levelEnd - 1);
                if (close > i + 1) {
                    sb.append("([^/]+)");
                    i = close + 1;
                    continue;
                }
            }
            if (c == '+') {
                sb.append("[^/]+");
                i++;
            } else if (c == '#') {
                sb.append(".*");
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.append('$').toString();
    }

    /**
     * The index of the first route whose expression matches the whole topic, or -1; the last successful
     * {@link Matcher} (holding the captured parameters) is not kept, as nothing reads it.
     */
    public int match(String topic) {
        Pattern[] ps = patterns;
        for (int i = 0; i < ps.length; i++) {
            if (ps[i].matcher(topic).matches()) return i;
        }
        return -1;
    }

    /** The number of routes. */
    public int size() {
        return patterns.length;
    }
}
