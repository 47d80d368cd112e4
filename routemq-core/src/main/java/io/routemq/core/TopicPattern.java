package io.routemq.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated route pattern: MQTT topic-filter syntax extended with named parameters.
 *
 * <p>Each level (the text between two {@code /}) is one of:
 * <ul>
 *   <li>a literal, matched exactly and case-sensitively (an empty level is a literal too);</li>
 *   <li>{@code {name}}: exactly one level, bound as parameter {@code name};</li>
 *   <li>{@code +}: exactly one level, not bound;</li>
 *   <li>{@code {name...}}: the rest of the topic, zero or more levels, bound as {@code name} (last level only);</li>
 *   <li>{@code #}: the rest of the topic, zero or more levels (last level only).</li>
 * </ul>
 * As MQTT 5 section 4.7.2 requires, a topic that starts with {@code $} is not matched by a pattern whose first level
 * is a wildcard or a parameter. Nothing in a pattern or a topic is interpreted as a regular expression.
 *
 * <p>Instances are immutable and thread-safe. {@link #parse(String)} validates and throws
 * {@link InvalidPatternException} naming the pattern and the position of the first problem.
 */
public final class TopicPattern {

    /** The largest pattern MQTT can carry: a UTF-8 string of at most 65,535 bytes. */
    public static final int MAX_BYTES = 65_535;

    /** The kind of one level of a pattern. */
    public enum LevelKind {
        /** A literal level, matched exactly. */
        LITERAL,
        /** {@code {name}}: one level, bound. */
        PARAM,
        /** {@code +}: one level, not bound. */
        SINGLE_WILDCARD,
        /** {@code {name...}}: the remaining levels, bound. */
        MULTI_PARAM,
        /** {@code #}: the remaining levels. */
        MULTI_WILDCARD;

        /** Whether this level matches exactly one topic level of any value. */
        public boolean isSingle() {
            return this == PARAM || this == SINGLE_WILDCARD;
        }

        /** Whether this level matches all remaining levels. */
        public boolean isMulti() {
            return this == MULTI_PARAM || this == MULTI_WILDCARD;
        }
    }

    /**
     * One level of a pattern.
     *
     * @param kind what the level matches
     * @param text the literal text for {@link LevelKind#LITERAL}, the parameter name for the parameter kinds,
     *             {@code "+"} or {@code "#"} for the wildcards
     */
    public record Level(LevelKind kind, String text) {
        /** The level as it appears in an MQTT topic filter. */
        public String filterText() {
            return switch (kind) {
                case LITERAL -> text;
                case PARAM, SINGLE_WILDCARD -> "+";
                case MULTI_PARAM, MULTI_WILDCARD -> "#";
            };
        }
    }

    private final String pattern;
    private final List<Level> levels;
    private final List<String> paramNames;
    private final String filter;

    private TopicPattern(String pattern, List<Level> levels, List<String> paramNames) {
        this.pattern = pattern;
        this.levels = levels;
        this.paramNames = paramNames;
        StringBuilder sb = new StringBuilder(pattern.length());
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) sb.append('/');
            sb.append(levels.get(i).filterText());
        }
        this.filter = sb.toString();
    }

    /**
     * Parses and validates a pattern.
     *
     * @throws InvalidPatternException if the pattern is not valid; the message names the position
     */
    public static TopicPattern parse(String pattern) {
        if (pattern == null) throw new InvalidPatternException(null, 0, "a pattern is required, got null");
        if (pattern.isEmpty()) throw new InvalidPatternException(pattern, 0, "a pattern must not be empty");
        int utf8 = utf8Length(pattern);
        if (utf8 > MAX_BYTES) {
            throw new InvalidPatternException(pattern, 0,
                    "is " + utf8 + " bytes in UTF-8; MQTT allows at most " + MAX_BYTES);
        }
        if (pattern.startsWith("$share/")) {
            throw new InvalidPatternException(pattern, 1,
                    "'$share/' does not belong in a route pattern; write the filter alone and use .shared(group, workers)");
        }
        List<Level> levels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 0;
        while (true) {
            int end = pattern.indexOf('/', start);
            boolean last = end < 0;
            if (last) end = pattern.length();
            levels.add(parseLevel(pattern, start, end, last, names, seen));
            if (last) break;
            start = end + 1;
        }
        return new TopicPattern(pattern, List.copyOf(levels), List.copyOf(names));
    }

    /**
     * An MQTT topic filter as a pattern: {@code +} and {@code #} are wildcards and every other level is literal, braces
     * included (a filter has no parameters). For matching what a session subscribed to with the core's matching.
     *
     * @throws InvalidPatternException if the filter is empty, or {@code +}/{@code #} share a level or {@code #} is not last
     */
    public static TopicPattern ofFilter(String filter) {
        if (filter == null || filter.isEmpty()) throw new InvalidPatternException(filter, 0, "a topic filter must not be empty");
        List<Level> levels = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = filter.indexOf('/', start);
            boolean last = end < 0;
            if (last) end = filter.length();
            String text = filter.substring(start, end);
            if (text.equals("+")) {
                levels.add(new Level(LevelKind.SINGLE_WILDCARD, "+"));
            } else if (text.equals("#")) {
                if (!last) throw new InvalidPatternException(filter, start + 1, "'#' must be the last level");
                levels.add(new Level(LevelKind.MULTI_WILDCARD, "#"));
            } else {
                int w = Math.max(text.indexOf('+'), text.indexOf('#'));
                if (w >= 0) throw new InvalidPatternException(filter, start + w + 1, "a wildcard must fill its whole level");
                levels.add(new Level(LevelKind.LITERAL, text));
            }
            if (last) break;
            start = end + 1;
        }
        return new TopicPattern(filter, List.copyOf(levels), List.of());
    }

    private static Level parseLevel(String p, int start, int end, boolean last, List<String> names, Set<String> seen) {
        String text = p.substring(start, end);
        for (int i = start; i < end; i++) {
            if (p.charAt(i) == '\u0000') throw new InvalidPatternException(p, i + 1, "the NUL character is not allowed in MQTT topics");
        }
        if (text.equals("#")) {
            if (!last) throw new InvalidPatternException(p, start + 1, "'#' must be the last level");
            return new Level(LevelKind.MULTI_WILDCARD, "#");
        }
        if (text.equals("+")) return new Level(LevelKind.SINGLE_WILDCARD, "+");
        int hash = text.indexOf('#');
        if (hash >= 0) throw new InvalidPatternException(p, start + hash + 1, "'#' must occupy a whole level, as in 'a/#'");
        int plus = text.indexOf('+');
        if (plus >= 0) throw new InvalidPatternException(p, start + plus + 1, "'+' must occupy a whole level, as in 'a/+/b'");
        int open = text.indexOf('{');
        int close = text.indexOf('}');
        if (open < 0 && close < 0) return new Level(LevelKind.LITERAL, text);
        if (open != 0) {
            int at = open >= 0 ? open : close;
            if (open < 0) throw new InvalidPatternException(p, start + close + 1, "'}' without a matching '{'");
            throw new InvalidPatternException(p, start + at + 1, "a parameter must occupy a whole level, as in 'a/{name}/b'");
        }
        if (close < 0) throw new InvalidPatternException(p, start + 1, "unclosed '{'");
        if (close != text.length() - 1) {
            throw new InvalidPatternException(p, start + close + 2, "a parameter must occupy a whole level, as in 'a/{name}/b'");
        }
        String inner = text.substring(1, text.length() - 1);
        boolean multi = inner.endsWith("...");
        String name = multi ? inner.substring(0, inner.length() - 3) : inner;
        if (name.isEmpty()) throw new InvalidPatternException(p, start + 1, "empty parameter name in '" + text + "'");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw new InvalidPatternException(p, start + 2 + i,
                        "parameter name '" + name + "' may hold only letters, digits and '_', and must not start with a digit");
            }
        }
        if (!seen.add(name)) throw new InvalidPatternException(p, start + 1, "duplicate parameter name '" + name + "'");
        if (multi && !last) {
            throw new InvalidPatternException(p, start + 1, "'{" + name + "...}' captures the rest of the topic, so it must be the last level");
        }
        names.add(name);
        return new Level(multi ? LevelKind.MULTI_PARAM : LevelKind.PARAM, name);
    }

    private static int utf8Length(String s) {
        // A UTF-16 char encodes to at most 3 UTF-8 bytes, so short patterns need no encoding to be known valid.
        if ((long) s.length() * 3 <= MAX_BYTES) return s.length();
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The pattern as it was written. */
    public String pattern() {
        return pattern;
    }

    /** The levels, in order. */
    public List<Level> levels() {
        return levels;
    }

    /** The parameter names, in the order they appear. */
    public List<String> paramNames() {
        return paramNames;
    }

    /** The MQTT topic filter this pattern subscribes with: {@code {x}} becomes {@code +}, {@code {x...}} becomes {@code #}. */
    public String toFilter() {
        return filter;
    }

    /** Whether the last level matches the rest of the topic ({@code #} or {@code {x...}}). */
    public boolean isMultiLevel() {
        return levels.get(levels.size() - 1).kind().isMulti();
    }

    /** Whether the pattern has no wildcard and no parameter. */
    public boolean isLiteral() {
        for (Level l : levels) if (l.kind() != LevelKind.LITERAL) return false;
        return true;
    }

    /**
     * Whether a concrete topic matches this pattern, by MQTT 5 section 4.7 rules. This is a direct level-by-level
     * comparison; routing uses the {@link RouteTable}'s trie instead.
     */
    public boolean matches(String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && levels.get(0).kind() != LevelKind.LITERAL) return false;
        int pos = 0;
        int n = levels.size();
        for (int i = 0; i < n; i++) {
            Level level = levels.get(i);
            if (level.kind().isMulti()) return true;
            if (pos > topic.length()) return false;
            int end = topic.indexOf('/', pos);
            if (end < 0) end = topic.length();
            if (level.kind() == LevelKind.LITERAL
                    && !(level.text().length() == end - pos && topic.startsWith(level.text(), pos))) {
                return false;
            }
            pos = end + 1;
        }
        return pos == topic.length() + 1;
    }

    /**
     * Whether this pattern covers {@code other}: every topic that {@code other} matches, this pattern matches too.
     * Parameters count as the wildcards they subscribe with ({@code {x}} as {@code +}, {@code {x...}} as
     * {@code #}), so the answer is the one for the two {@link #toFilter() filters}. Examples: {@code a/#} covers
     * {@code a}, {@code a/+/c} and {@code a/#}; {@code a/+} covers {@code a/b} but not {@code a/#}; {@code #}
     * covers every pattern except those that start with a {@code $} level ({@code #} never matches
     * {@code $SYS/x}, section 4.7.2).
     *
     * <p>Every pattern covers itself. Coverage is decided level by level, without building any set of topics.
     *
     * @param other the pattern that may be covered
     * @return whether the topics {@code other} matches are a subset of the topics this pattern matches
     */
    public boolean covers(TopicPattern other) {
        List<Level> mine = levels;
        List<Level> theirs = other.levels;
        if (theirs.get(0).kind().isMulti()) {
            // a topic has at least one level, so '#' alone matches exactly what '+/#' matches
            theirs = List.of(new Level(LevelKind.SINGLE_WILDCARD, "+"), theirs.get(0));
        }
        if (mine.get(0).kind() != LevelKind.LITERAL && theirs.get(0).kind() == LevelKind.LITERAL
                && theirs.get(0).text().startsWith("$")) {
            return false;
        }
        int n = mine.size();
        for (int i = 0; i < n; i++) {
            LevelKind kind = mine.get(i).kind();
            if (kind.isMulti()) return true;                     // the rest, zero levels included
            if (i >= theirs.size()) return false;               // other ends where this needs one more level
            Level level = theirs.get(i);
            if (level.kind().isMulti()) return false;           // other goes on (or stops) where this needs one level
            if (kind == LevelKind.LITERAL
                    && (level.kind() != LevelKind.LITERAL || !level.text().equals(mine.get(i).text()))) {
                return false;
            }
        }
        return n == theirs.size();
    }

    /**
     * Binds this pattern's parameters from a topic it matches.
     *
     * @return the parameters in pattern order; an unmodifiable map
     * @throws IllegalArgumentException if the topic does not match
     */
    public java.util.Map<String, String> bind(String topic) {
        if (!matches(topic)) throw new IllegalArgumentException("topic '" + topic + "' does not match '" + pattern + "'");
        if (paramNames.isEmpty()) return Collections.emptyMap();
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        int pos = 0;
        for (Level level : levels) {
            if (level.kind().isMulti()) {
                if (level.kind() == LevelKind.MULTI_PARAM) out.put(level.text(), pos >= topic.length() ? "" : topic.substring(pos));
                return Collections.unmodifiableMap(out);
            }
            int end = topic.indexOf('/', pos);
            if (end < 0) end = topic.length();
            if (level.kind() == LevelKind.PARAM) out.put(level.text(), topic.substring(pos, end));
            pos = end + 1;
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicPattern other && other.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
