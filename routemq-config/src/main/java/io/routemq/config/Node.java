package io.routemq.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a config document as read by {@link TreeReader}: a map, a list or a scalar, each with the line and
 * column where it starts, so that every error can name its place in the file.
 */
public sealed interface Node permits Node.MapNode, Node.ListNode, Node.Scalar {

    /** Where the node starts: 1-based line and column. */
    Location location();

    /** A short name of the node's type for messages: "a map", "a list", "a string", "a number", ... */
    String describe();

    /**
     * A 1-based line and column.
     *
     * @param line   the line, 0 when unknown
     * @param column the column, 0 when unknown
     */
    record Location(int line, int column) {
        /** An unknown location. */
        public static final Location NONE = new Location(0, 0);
    }

    /**
     * One key of a map with the location of the key itself.
     *
     * @param key         the key
     * @param keyLocation where the key is written
     * @param value       the value
     */
    record Entry(String key, Location keyLocation, Node value) {
    }

    /**
     * A map (YAML mapping, JSON object), in file order.
     *
     * @param entries the entries by key, in file order
     * @param location where the map starts
     */
    record MapNode(LinkedHashMap<String, Entry> entries, Location location) implements Node {
        /** The value of a key, or null. */
        public Node get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        /** Whether the key is present. */
        public boolean has(String key) {
            return entries.containsKey(key);
        }

        /** The entries in file order. */
        public Map<String, Entry> view() {
            return java.util.Collections.unmodifiableMap(entries);
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    /**
     * A list (YAML sequence, JSON array).
     *
     * @param items    the items in order
     * @param location where the list starts
     */
    record ListNode(List<Node> items, Location location) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar: a String, a Long, a java.math.BigInteger, a java.math.BigDecimal, a Boolean or null.
     *
     * @param value       the value
     * @param location    where it is written
     * @param substituted whether {@code ${...}} substitution produced it (then a string may stand for a number)
     */
    record Scalar(Object value, Location location, boolean substituted) implements Node {
        /** Whether this is a string. */
        public boolean isString() {
            return value instanceof String;
        }

        /** Whether this is a number. */
        public boolean isNumber() {
            return value instanceof Number;
        }

        /** The value as written, for messages. */
        public String text() {
            return value == null ? "null" : value.toString();
        }

        @Override
        public String describe() {
            if (value == null) return "null";
            if (value instanceof String) return "the string '" + Messages.shorten(text()) + "'";
            if (value instanceof Boolean) return "the boolean " + value;
            return "the number " + value;
        }
    }
}
