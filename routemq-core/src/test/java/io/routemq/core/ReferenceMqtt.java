package io.routemq.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple reference for MQTT 5 section 4.7 (topic names and filters), written from the specification
 * and independently of the production code: split on '/', compare level by level.
 * <ul>
 *   <li>4.7.1.1: levels are separated by '/'; empty levels are levels.</li>
 *   <li>4.7.1.2: '#' matches the parent level and any number of child levels; it is the last level.</li>
 *   <li>4.7.1.3: '+' matches exactly one level (which may be empty).</li>
 *   <li>4.7.2: a topic starting with '$' is not matched by a filter starting with '#' or '+'.</li>
 *   <li>4.7.3: matching is case-sensitive and exact: no character has a special meaning besides '/', '+', '#'.</li>
 * </ul>
 * Route patterns are reduced to filters by token, by the test's own generator (see {@link Spec}).
 */
final class ReferenceMqtt {
    private ReferenceMqtt() {
    }

    static boolean matches(String filter, String topic) {
        return matches(filter.split("/", -1), topic.split("/", -1));
    }

    static boolean matches(String[] f, String[] t) {
        if (t[0].startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) return false;
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) return true;
            if (i >= t.length) return false;
            if (!f[i].equals("+") && !f[i].equals(t[i])) return false;
        }
        return f.length == t.length;
    }

    /** Token kinds of a generated pattern level. */
    enum Kind { LITERAL, PLUS, PARAM, HASH, REST }

    /** One generated level. */
    record Token(Kind kind, String text) {
        String patternText() {
            return switch (kind) {
                case LITERAL -> text;
                case PLUS -> "+";
                case PARAM -> "{" + text + "}";
                case HASH -> "#";
                case REST -> "{" + text + "...}";
            };
        }

        String filterText() {
            return switch (kind) {
                case LITERAL -> text;
                case PLUS, PARAM -> "+";
                case HASH, REST -> "#";
            };
        }

        /** Specificity of the level: lower is more specific. */
        int rank() {
            return switch (kind) {
                case LITERAL -> 0;
                case PLUS, PARAM -> 1;
                case HASH, REST -> 2;
            };
        }
    }

    /** A generated pattern: its text, the MQTT filter it stands for, and its tokens. */
    record Spec(List<Token> tokens) {
        String pattern() {
            return String.join("/", tokens.stream().map(Token::patternText).toList());
        }

        String filter() {
            return String.join("/", tokens.stream().map(Token::filterText).toList());
        }

        String[] filterLevels() {
            return tokens.stream().map(Token::filterText).toArray(String[]::new);
        }

        int[] ranks() {
            return tokens.stream().mapToInt(Token::rank).toArray();
        }

        /** The parameters a matching topic binds, computed level by level from the tokens. */
        Map<String, String> bind(String topic) {
            String[] t = topic.split("/", -1);
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < tokens.size(); i++) {
                Token tok = tokens.get(i);
                if (tok.kind() == Kind.PARAM) out.put(tok.text(), t[i]);
                if (tok.kind() == Kind.REST) {
                    out.put(tok.text(), i >= t.length ? "" : String.join("/", Arrays.copyOfRange(t, i, t.length)));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return pattern();
        }
    }

    /**
     * Compares two patterns that match the same topic by specificity, level by level from the left: literal, then
     * single-level, then multi-level; a pattern that has ended (an exact match) is more specific than a '#' that
     * matches the parent level. Negative when {@code a} is more specific.
     */
    static int compareSpecificity(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
        }
        return Integer.compare(a.length, b.length);
    }

    /** Whether every topic of {@code universe} that {@code inner} matches, {@code outer} matches too. */
    static boolean covers(String[] outer, String[] inner, List<String[]> universe) {
        for (String[] t : universe) {
            if (matches(inner, t) && !matches(outer, t)) return false;
        }
        return true;
    }

    /** Every topic of 1 to {@code maxLevels} levels over the alphabet. */
    static List<String[]> universe(List<String> alphabet, int maxLevels) {
        List<String[]> out = new ArrayList<>();
        List<String[]> prev = List.<String[]>of(new String[0]);
        for (int len = 1; len <= maxLevels; len++) {
            List<String[]> next = new ArrayList<>();
            for (String[] p : prev) {
                for (String a : alphabet) {
                    String[] t = Arrays.copyOf(p, len);
                    t[len - 1] = a;
                    next.add(t);
                }
            }
            out.addAll(next);
            prev = next;
        }
        return out;
    }
}
