package io.routemq.server.config.internal;

import java.util.Map;

/**
 * Translates the parts of Go's RE2 syntax that Java spells differently: {@code (?P<name>...)} becomes
 * {@code (?<name>...)} and POSIX classes such as {@code [[:alpha:]]} become {@code \p{Alpha}}. Everything else RE2
 * accepts means the same in java.util.regex, except the {@code U} flag (ungreedy in Go, Unicode classes in Java) and
 * {@code &&} inside a class (literal in Go, intersection in Java), which are reported.
 */
public final class GoRegex {
    private GoRegex() {
    }

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "Alnum"), Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"), Map.entry("blank", "Blank"),
            Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"), Map.entry("graph", "Graph"), Map.entry("lower", "Lower"),
            Map.entry("print", "Print"), Map.entry("punct", "Punct"), Map.entry("space", "Space"), Map.entry("upper", "Upper"),
            Map.entry("xdigit", "XDigit"));

    /** The result: the Java regex, or a reason why it cannot be translated. */
    public record Result(String java, String problem) {
    }

    /** Translates a Go regular expression. */
    public static Result toJava(String go) {
        StringBuilder out = new StringBuilder(go.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < go.length(); i++) {
            char c = go.charAt(i);
            if (c == '\\' && i + 1 < go.length()) {
                out.append(c).append(go.charAt(i + 1));
                i++;
                continue;
            }
            if (!inClass && go.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
                continue;
            }
            if (!inClass && c == '(' && go.startsWith("(?", i)) {
                int end = i + 2;
                while (end < go.length() && Character.isLetter(go.charAt(end)) || end < go.length() && go.charAt(end) == '-') end++;
                if (go.substring(i + 2, end).contains("U")) {
                    return new Result(null, "the U flag means ungreedy in Go but Unicode classes in Java; write lazy quantifiers such as .*? instead");
                }
            }
            if (inClass && go.startsWith("[:", i)) {
                int close = go.indexOf(":]", i + 2);
                if (close > 0) {
                    String name = go.substring(i + 2, close);
                    boolean negated = name.startsWith("^");
                    String key = negated ? name.substring(1) : name;
                    if (key.equals("word")) {
                        out.append(negated ? "\\W" : "\\w");
                        i = close + 1;
                        continue;
                    }
                    String java = POSIX.get(key);
                    if (java != null) {
                        out.append(negated ? "\\P{" : "\\p{").append(java).append('}');
                        i = close + 1;
                        continue;
                    }
                }
            }
            if (inClass && go.startsWith("&&", i)) {
                out.append("&\\&");
                i++;
                continue;
            }
            if (!inClass && c == '[') {
                inClass = true;
                out.append(c);
                // A ']' right after '[' or '[^' is a literal in both dialects.
                if (i + 1 < go.length() && go.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < go.length() && go.charAt(i + 1) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (inClass && c == '[' && !go.startsWith("[:", i)) {
                out.append("\\[");
                continue;
            }
            if (inClass && c == ']') inClass = false;
            out.append(c);
        }
        return new Result(out.toString(), null);
    }
}
