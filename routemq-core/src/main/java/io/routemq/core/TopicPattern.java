package io.routemq.core;

import io.routemq.core.internal.Params;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The kinds by ordinal, as {@link #shape} stores them. */
    private static final LevelKind[] KINDS = LevelKind.values();

    private final String pattern;
    /**
     * One int per level: where the level starts in {@link #pattern} (shifted left by 3) and its kind's ordinal (low 3
     * bits). The levels are derived from it on demand, so that a pattern holds no per-level objects: a table of 10k
     * routes kept 60k {@link Level}s and as many substrings, about half of its heap (docs/performance.md).
     */
    private final int[] shape;
    private final List<String> paramNames;

    private TopicPattern(String pattern, int[] shape, List<String> paramNames) {
        this.pattern = pattern;
        this.shape = shape;
        this.paramNames = paramNames;
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
        Shape shape = new Shape();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 0;
        while (true) {
            int end = pattern.indexOf('/', start);
            boolean last = end < 0;
            if (last) end = pattern.length();
            shape.add(start, parseLevel(pattern, start, end, last, names, seen));
            if (last) break;
            start = end + 1;
        }
        return new TopicPattern(pattern, shape.toArray(), List.copyOf(names));
    }

    /**
     * An MQTT topic filter as a pattern: {@code +} and {@code #} are wildcards and every other level is literal, braces
     * included (a filter has no parameters). For matching what a session subscribed to with the core's matching.
     *
     * @throws InvalidPatternException if the filter is empty, or {@code +}/{@code #} share a level or {@code #} is not last
     */
    public static TopicPattern ofFilter(String filter) {
        if (filter == null || filter.isEmpty()) throw new InvalidPatternException(filter, 0, "a topic filter must not be empty");
        Shape shape = new Shape();
        int start = 0;
        while (true) {
            int end = filter.indexOf('/', start);
            boolean last = end < 0;
            if (last) end = filter.length();
            String text = filter.substring(start, end);
            if (text.equals("+")) {
                shape.add(start, LevelKind.SINGLE_WILDCARD);
            } else if (text.equals("#")) {
                if (!last) throw new InvalidPatternException(filter, start + 1, "'#' must be the last level");
                shape.add(start, LevelKind.MULTI_WILDCARD);
            } else {
                int w = Math.max(text.indexOf('+'), text.indexOf('#'));
                if (w >= 0) throw new InvalidPatternException(filter, start + w + 1, "a wildcard must fill its whole level");
                shape.add(start, LevelKind.LITERAL);
            }
            if (last) break;
            start = end + 1;
        }
        return new TopicPattern(filter, shape.toArray(), List.of());
    }

    private static LevelKind parseLevel(String p, int start, int end, boolean last, List<String> names, Set<String> seen) {
        String text = p.substring(start, end);
        for (int i = start; i < end; i++) {
            if (p.charAt(i) == '\u0000') throw new InvalidPatternException(p, i + 1, "the NUL character is not allowed in MQTT topics");
        }
        if (text.equals("#")) {
            if (!last) throw new InvalidPatternException(p, start + 1, "'#' must be the last level");
            return LevelKind.MULTI_WILDCARD;
        }
        if (text.equals("+")) return LevelKind.SINGLE_WILDCARD;
        int hash = text.indexOf('#');
        if (hash >= 0) throw new InvalidPatternException(p, start + hash + 1, "'#' must occupy a whole level, as in 'a/#'");
        int plus = text.indexOf('+');
        if (plus >= 0) throw new InvalidPatternException(p, start + plus + 1, "'+' must occupy a whole level, as in 'a/+/b'");
        int open = text.indexOf('{');
        int close = text.indexOf('}');
        if (open < 0 && close < 0) return LevelKind.LITERAL;
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
        // interned: a table repeats a few names ({id}, {site}) over thousands of patterns, and keeps every one
        names.add(name.intern());
        return multi ? LevelKind.MULTI_PARAM : LevelKind.PARAM;
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

    /**
     * The levels, in order: a new unmodifiable list each call, made from the pattern's text (a pattern keeps no
     * per-level objects). Code that runs per message reads {@link #levelCount()} and {@link #levelKind(int)} instead.
     */
    public List<Level> levels() {
        Level[] out = new Level[shape.length];
        for (int i = 0; i < out.length; i++) out[i] = level(i);
        return List.of(out);
    }

    /** The number of levels. */
    public int levelCount() {
        return shape.length;
    }

    /** The kind of level {@code i} (from 0), without making a {@link Level}. */
    public LevelKind levelKind(int i) {
        return KINDS[shape[i] & 7];
    }

    /** Level {@code i} (from 0): a new {@link Level}, its text cut from the pattern. */
    public Level level(int i) {
        LevelKind kind = levelKind(i);
        int start = start(i);
        int end = end(i);
        return new Level(kind, switch (kind) {
            case LITERAL -> pattern.substring(start, end);
            case PARAM -> pattern.substring(start + 1, end - 1);
            case MULTI_PARAM -> pattern.substring(start + 1, end - 4);
            case SINGLE_WILDCARD -> "+";
            case MULTI_WILDCARD -> "#";
        });
    }

    /** Where level {@code i} starts in the pattern's text. */
    private int start(int i) {
        return shape[i] >>> 3;
    }

    /** Where level {@code i} ends in the pattern's text (its {@code /}, or the text's length). */
    private int end(int i) {
        return i + 1 < shape.length ? start(i + 1) - 1 : pattern.length();
    }

    /** The parameter names, in the order they appear. */
    public List<String> paramNames() {
        return paramNames;
    }

    /**
     * The MQTT topic filter this pattern subscribes with: {@code {x}} becomes {@code +}, {@code {x...}} becomes
     * {@code #}. A pattern without parameters is its own filter; otherwise the filter is made on each call.
     */
    public String toFilter() {
        if (paramNames.isEmpty()) return pattern;
        StringBuilder sb = new StringBuilder(pattern.length());
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append('/');
            switch (levelKind(i)) {
                case PARAM, SINGLE_WILDCARD -> sb.append('+');
                case MULTI_PARAM, MULTI_WILDCARD -> sb.append('#');
                case LITERAL -> sb.append(pattern, start(i), end(i));
            }
        }
        return sb.toString();
    }

    /** Whether the last level matches the rest of the topic ({@code #} or {@code {x...}}). */
    public boolean isMultiLevel() {
        return levelKind(shape.length - 1).isMulti();
    }

    /** Whether the pattern has no wildcard and no parameter. */
    public boolean isLiteral() {
        for (int i = 0; i < shape.length; i++) if (levelKind(i) != LevelKind.LITERAL) return false;
        return true;
    }

    /**
     * Whether a concrete topic matches this pattern, by MQTT 5 section 4.7 rules. This is a direct level-by-level
     * comparison; routing uses the {@link RouteTable}'s trie instead.
     */
    public boolean matches(String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && levelKind(0) != LevelKind.LITERAL) return false;
        int pos = 0;
        int n = shape.length;
        for (int i = 0; i < n; i++) {
            LevelKind kind = levelKind(i);
            if (kind.isMulti()) return true;
            if (pos > topic.length()) return false;
            int end = topic.indexOf('/', pos);
            if (end < 0) end = topic.length();
            if (kind == LevelKind.LITERAL) {
                int from = start(i);
                int length = end(i) - from;
                if (length != end - pos || !topic.regionMatches(pos, pattern, from, length)) return false;
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
        // a topic has at least one level, so '#' alone matches exactly what '+/#' matches: read other's levels
        // through that lens, level i of the lens being other's level i - shift
        int shift = other.levelKind(0).isMulti() ? 1 : 0;
        int theirCount = other.shape.length + shift;
        if (levelKind(0) != LevelKind.LITERAL && shift == 0 && other.levelKind(0) == LevelKind.LITERAL
                && other.pattern.startsWith("$")) {
            return false;
        }
        int n = shape.length;
        for (int i = 0; i < n; i++) {
            LevelKind kind = levelKind(i);
            if (kind.isMulti()) return true;                     // the rest, zero levels included
            if (i >= theirCount) return false;                  // other ends where this needs one more level
            LevelKind theirs = i < shift ? LevelKind.SINGLE_WILDCARD : other.levelKind(i - shift);
            if (theirs.isMulti()) return false;                 // other goes on (or stops) where this needs one level
            if (kind == LevelKind.LITERAL && (theirs != LevelKind.LITERAL || !sameText(i, other, i - shift))) {
                return false;
            }
        }
        return n == theirCount;
    }

    /** Whether literal level {@code i} of this pattern has the same text as literal level {@code j} of {@code other}. */
    private boolean sameText(int i, TopicPattern other, int j) {
        int from = start(i);
        int length = end(i) - from;
        int theirFrom = other.start(j);
        return other.end(j) - theirFrom == length && pattern.regionMatches(from, other.pattern, theirFrom, length);
    }

    /**
     * Binds this pattern's parameters from a topic it matches.
     *
     * @return the parameters in pattern order; an unmodifiable map
     * @throws IllegalArgumentException if the topic does not match
     */
    public java.util.Map<String, String> bind(String topic) {
        if (!matches(topic)) throw new IllegalArgumentException("topic '" + topic + "' does not match '" + pattern + "'");
        if (paramNames.isEmpty()) return Params.empty();
        String[] out = new String[2 * paramNames.size()];
        int pos = 0;
        int param = 0;
        for (int i = 0; i < shape.length; i++) {
            LevelKind kind = levelKind(i);
            if (kind.isMulti()) {
                if (kind == LevelKind.MULTI_PARAM) {
                    out[2 * param] = paramNames.get(param);
                    out[2 * param + 1] = pos >= topic.length() ? "" : topic.substring(pos);
                    param++;
                }
                break;
            }
            int end = topic.indexOf('/', pos);
            if (end < 0) end = topic.length();
            if (kind == LevelKind.PARAM) {
                out[2 * param] = paramNames.get(param);
                out[2 * param + 1] = topic.substring(pos, end);
                param++;
            }
            pos = end + 1;
        }
        return Params.own(out); // a matching topic binds every parameter
    }

    /** The levels of a pattern being parsed, as {@link #shape} stores them. */
    private static final class Shape {
        private int[] levels = new int[8];
        private int size;

        void add(int start, LevelKind kind) {
            if (size == levels.length) levels = Arrays.copyOf(levels, size * 2);
            levels[size++] = start << 3 | kind.ordinal();
        }

        int[] toArray() {
            return Arrays.copyOf(levels, size);
        }
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
