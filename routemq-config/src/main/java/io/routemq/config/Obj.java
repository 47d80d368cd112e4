package io.routemq.config;

import io.routemq.core.config.Values;
import io.routemq.core.config.Suggest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, validating access to one map of a config. The keys it allows are declared up front; every other key is an
 * error with a did-you-mean. Every getter reports a problem to {@link Problems} and returns the default instead of
 * throwing, so that one pass finds every error.
 */
public final class Obj {

    private final Problems problems;
    private final Node.MapNode map;
    private final String path;
    private final Node.Location at;
    private final List<String> known;
    private final boolean caseInsensitive;

    private Obj(Problems problems, Node.MapNode map, String path, Node.Location at, List<String> known, boolean caseInsensitive) {
        this.problems = problems;
        this.map = map;
        this.path = path;
        this.at = at;
        this.known = known;
        this.caseInsensitive = caseInsensitive;
    }

    /**
     * Opens a map. Null (an empty YAML value) reads as an empty map; anything else that is not a map is an error and
     * reads as an empty map too.
     *
     * @param fallback        the location to report for a missing map
     * @param caseInsensitive match keys ignoring case, as Go's encoding/json does
     * @param known           the allowed keys
     */
    public static Obj of(Problems problems, Node node, String path, Node.Location fallback, boolean caseInsensitive, String... known) {
        Node.Location at = node == null ? fallback : node.location();
        Node.MapNode map;
        if (node instanceof Node.MapNode m) {
            map = m;
        } else {
            if (node != null && !(node instanceof Node.Scalar s && s.value() == null)) {
                problems.error(at, path, "expected a map, got " + node.describe(), "write 'key: value' lines indented below it");
            }
            map = new Node.MapNode(new LinkedHashMap<>(), at);
        }
        Obj obj = new Obj(problems, map, path, at, List.of(known), caseInsensitive);
        obj.checkKeys();
        return obj;
    }

    /** Opens a map whose keys are names chosen by the user (brokers, sinks, headers): every key is allowed. */
    public static Obj anyKeys(Problems problems, Node node, String path, Node.Location fallback) {
        List<String> keys = node instanceof Node.MapNode m ? new ArrayList<>(m.entries().keySet()) : List.of();
        return of(problems, node, path, fallback, false, keys.toArray(String[]::new));
    }

    /** Opens a nested map whose keys are names chosen by the user. */
    public Obj anyKeys(String key) {
        return anyKeys(problems, node(key), path(key), at(key));
    }

    /** A size, where the number 0 is allowed too and means "no limit". */
    public long sizeOrZero(String key, long def, long min, long max) {
        Node n = node(key);
        if (n instanceof Node.Scalar s && (Long.valueOf(0).equals(s.value()) || "0".equals(s.value()))) return 0;
        return size(key, def, min, max);
    }

    private void checkKeys() {
        for (Node.Entry e : map.entries().values()) {
            if (canonical(e.key()) == null) {
                problems.error(e.keyLocation(), Messages.key(path, e.key()), "unknown key '" + Messages.shorten(e.key()) + "'",
                        Suggest.hint(e.key(), known, "known keys"));
            }
        }
    }

    private String canonical(String key) {
        if (known.contains(key)) return key;
        if (caseInsensitive) for (String k : known) if (k.equalsIgnoreCase(key)) return k;
        return null;
    }

    private Node.Entry entry(String key) {
        Node.Entry e = map.entries().get(key);
        if (e != null || !caseInsensitive) return e;
        for (Node.Entry x : map.entries().values()) if (x.key().equalsIgnoreCase(key)) return x;
        return null;
    }

    /** The path of this map. */
    public String path() {
        return path;
    }

    /** Where this map starts (or where it would be). */
    public Node.Location location() {
        return at;
    }

    /** The problems collector. */
    public Problems problems() {
        return problems;
    }

    /** The path of a key of this map. */
    public String path(String key) {
        Node.Entry e = entry(key);
        return Messages.key(path, e == null ? key : e.key());
    }

    /** Whether the key is present with a non-null value. */
    public boolean has(String key) {
        Node n = node(key);
        return n != null && !(n instanceof Node.Scalar s && s.value() == null);
    }

    /** Whether the key is written at all (even with an empty value). */
    public boolean written(String key) {
        return entry(key) != null;
    }

    /** The value node of a key, or null. */
    public Node node(String key) {
        Node.Entry e = entry(key);
        return e == null ? null : e.value();
    }

    /** Where the key's value is, or this map's location when the key is absent. */
    public Node.Location at(String key) {
        Node.Entry e = entry(key);
        if (e == null) return at;
        return e.value() != null ? e.value().location() : e.keyLocation();
    }

    /** Where the key itself is written, or this map's location. */
    public Node.Location keyAt(String key) {
        Node.Entry e = entry(key);
        return e == null ? at : e.keyLocation();
    }

    /** The keys present, in file order (as written). */
    public List<String> keys() {
        return new ArrayList<>(map.entries().keySet());
    }

    /** Reports a missing required key. */
    public void missing(String key, String hint) {
        problems.error(at, path, "'" + key + "' is required", hint);
    }

    /** Opens a nested map (an absent key reads as an empty map). */
    public Obj obj(String key, String... knownKeys) {
        return Obj.of(problems, node(key), path(key), at(key), caseInsensitive, knownKeys);
    }

    // ---- scalars ----

    /** A string; numbers and booleans are taken as written. */
    public String string(String key, String def) {
        Node n = node(key);
        if (n == null) return def;
        return stringOf(n, path(key), def);
    }

    /** A required non-empty string. */
    public String requiredString(String key, String hint) {
        if (!has(key)) {
            missing(key, hint);
            return null;
        }
        String s = string(key, null);
        if (s != null && s.isBlank()) {
            problems.error(at(key), path(key), "must not be empty", hint);
            return null;
        }
        return s;
    }

    /** A string value of any scalar node. */
    public String stringOf(Node n, String p, String def) {
        if (n instanceof Node.Scalar s) {
            if (s.value() == null) return def;
            if (s.value() instanceof BigDecimal d) return d.toPlainString();
            return s.value().toString();
        }
        problems.error(n.location(), p, "expected a string, got " + n.describe(), null);
        return def;
    }

    /** An integer within [min, max]. */
    public int integer(String key, int def, int min, int max) {
        Node n = node(key);
        if (n == null || isNull(n)) return def;
        return (int) longOf(n, path(key), def, min, max, null);
    }

    /** A long within [min, max]. */
    public long longValue(String key, long def, long min, long max) {
        Node n = node(key);
        if (n == null || isNull(n)) return def;
        return longOf(n, path(key), def, min, max, null);
    }

    /** A long value of a node, within [min, max]. */
    public long longOf(Node n, String p, long def, long min, long max, String hint) {
        if (!(n instanceof Node.Scalar s)) {
            problems.error(n.location(), p, "expected a number, got " + n.describe(), hint);
            return def;
        }
        Long v = null;
        if (s.value() instanceof Long l) v = l;
        else if (s.value() instanceof java.math.BigInteger) v = null;
        else if (s.value() instanceof BigDecimal d) {
            problems.error(n.location(), p, "expected a whole number, got " + d.toPlainString(), hint);
            return def;
        } else if (s.value() instanceof String str) {
            Long parsed = parseLong(str.strip());
            if (s.substituted() && parsed != null) v = parsed;
            else {
                problems.error(n.location(), p, "expected a number, got " + s.describe(),
                        parsed != null ? "write it without quotes" : hint);
                return def;
            }
        } else {
            problems.error(n.location(), p, "expected a number, got " + s.describe(), hint);
            return def;
        }
        if (v == null || v < min || v > max) {
            problems.error(n.location(), p, "must be " + range(min, max) + ", got " + s.text(), hint);
            return def;
        }
        return v;
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) return "at least " + min;
        return "between " + min + " and " + max;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A decimal number within [min, max]. */
    public double decimal(String key, double def, double min, double max) {
        Node n = node(key);
        if (n == null || isNull(n)) return def;
        Double v = null;
        if (n instanceof Node.Scalar s) {
            if (s.value() instanceof Number num) v = num.doubleValue();
            else if (s.value() instanceof String str && s.substituted()) {
                try {
                    v = Double.parseDouble(str.strip());
                } catch (NumberFormatException ignored) {
                    v = null;
                }
            }
        }
        if (v == null) {
            problems.error(n.location(), path(key), "expected a number, got " + n.describe(), null);
            return def;
        }
        if (v.isNaN() || v < min || v > max) {
            problems.error(n.location(), path(key), "must be between " + min + " and " + max + ", got " + v, null);
            return def;
        }
        return v;
    }

    /** A boolean. */
    public boolean bool(String key, boolean def) {
        Node n = node(key);
        if (n == null || isNull(n)) return def;
        Boolean b = boolOf(n, path(key));
        return b == null ? def : b;
    }

    /** A boolean value of a node, or null after reporting an error. */
    public Boolean boolOf(Node n, String p) {
        if (n instanceof Node.Scalar s) {
            if (s.value() instanceof Boolean b) return b;
            if (s.value() instanceof String str && s.substituted()) {
                String t = str.strip().toLowerCase(Locale.ROOT);
                if (t.equals("true")) return true;
                if (t.equals("false")) return false;
            }
        }
        problems.error(n.location(), p, "expected true or false, got " + n.describe(), null);
        return null;
    }

    /** A duration such as 500ms, 1s, 2m, 1h, 1d. */
    public Duration duration(String key, Duration def) {
        Node n = node(key);
        if (n == null || isNull(n)) return def;
        Duration d = durationOf(n, path(key));
        return d == null ? def : d;
    }

    /** A duration value of a node, or null after reporting an error. */
    public Duration durationOf(Node n, String p) {
        if (n instanceof Node.Scalar s && s.value() instanceof String str) {
            Duration d = Values.parseDuration(str);
            if (d != null) return d;
            problems.error(n.location(), p, "'" + Messages.shorten(str) + "' is not a duration", Values.DURATION_HINT);
            return null;
        }
        if (n instanceof Node.Scalar s && s.value() instanceof Long l) {
            problems.error(n.location(), p, "expected a duration, got the number " + l, "add a unit: " + l + "s or " + l + "ms");
            return null;
        }
        problems.error(n.location(), p, "expected a duration, got " + n.describe(), Values.DURATION_HINT);
        return null;
    }

    /** A size such as 10MB. */
    public long size(String key, long def, long min, long max) {
        Node n = node(key);
        if (n == null || isNull(n)) return def;
        if (n instanceof Node.Scalar s && s.value() instanceof String str) {
            long v = Values.parseSize(str);
            if (v < 0) {
                problems.error(n.location(), path(key), "'" + Messages.shorten(str) + "' is not a size", Values.SIZE_HINT);
                return def;
            }
            if (v < min || v > max) {
                problems.error(n.location(), path(key), "must be between " + Values.formatSize(min) + " and "
                        + Values.formatSize(max) + ", got " + str, null);
                return def;
            }
            return v;
        }
        if (n instanceof Node.Scalar s && s.value() instanceof Long l) {
            problems.error(n.location(), path(key), "expected a size, got the number " + l, "add a unit: " + l + "B, " + l + "KB or " + l + "MB");
            return def;
        }
        problems.error(n.location(), path(key), "expected a size, got " + n.describe(), Values.SIZE_HINT);
        return def;
    }

    /**
     * One of fixed words, matched ignoring case.
     *
     * @param names the words as written in a config, mapped to their values, in the order to list them
     */
    public <E> E choice(String key, E def, Map<String, E> names) {
        Node n = node(key);
        if (n == null || isNull(n)) return def;
        return choiceOf(n, path(key), def, names);
    }

    /** A choice value of a node. */
    public <E> E choiceOf(Node n, String p, E def, Map<String, E> names) {
        String text = n instanceof Node.Scalar s && s.value() != null ? stringOf(n, p, null) : null;
        if (text == null) {
            problems.error(n.location(), p, "expected one of " + String.join(", ", names.keySet()) + ", got " + n.describe(), null);
            return def;
        }
        for (Map.Entry<String, E> e : names.entrySet()) {
            if (e.getKey().equalsIgnoreCase(text.strip())) return e.getValue();
        }
        problems.error(n.location(), p, text, "unknown value", Suggest.hint(text, names.keySet(), "use one of"));
        return def;
    }

    // ---- lists ----

    /** The items of a list; a single scalar reads as a list of one; absent reads as empty. */
    public List<Node> list(String key) {
        Node n = node(key);
        if (n == null || isNull(n)) return List.of();
        if (n instanceof Node.ListNode l) return l.items();
        if (n instanceof Node.Scalar) return List.of(n);
        if (n instanceof Node.MapNode m && !m.entries().isEmpty() && m.entries().values().stream().allMatch(e -> isNull(e.value()))) {
            // {x} or {a, b}: braces where brackets were meant
            String names = String.join(", ", m.entries().keySet());
            problems.error(n.location(), path(key), "expected a list, got {" + Messages.shorten(names) + "}, which YAML reads as a map",
                    "write " + key + ": [" + Messages.shorten(names) + "] with square brackets");
            return List.of();
        }
        problems.error(n.location(), path(key), "expected a list, got " + n.describe(), "write [a, b] or one '- item' per line");
        return List.of();
    }

    /** A list of strings (a single string reads as a list of one). */
    public List<String> strings(String key) {
        List<Node> items = list(key);
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String p = Messages.index(path(key), i);
            if (item == null || isNull(item)) {
                problems.error(item == null ? at(key) : item.location(), p, "empty list item", "remove it or write a value");
                continue;
            }
            String s = stringOf(item, p, null);
            if (s != null) out.add(s);
        }
        return out;
    }

    /** Whether a node is a null scalar. */
    public static boolean isNull(Node n) {
        return n instanceof Node.Scalar s && s.value() == null;
    }

    /** An ordered map of choices for {@link #choice}, from words and values given in pairs. */
    @SafeVarargs
    public static <E> Map<String, E> choices(Map.Entry<String, E>... entries) {
        LinkedHashMap<String, E> m = new LinkedHashMap<>();
        for (Map.Entry<String, E> e : entries) m.put(e.getKey(), e.getValue());
        return m;
    }
}
