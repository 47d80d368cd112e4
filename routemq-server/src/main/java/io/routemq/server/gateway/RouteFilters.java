package io.routemq.server.gateway;

import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.server.config.RouteConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Turns a route's {@code excludeRegex} and {@code filters} into one predicate. A message passes when no exclude
 * regex is found in its topic (anywhere, as the Go middleware's RE2 patterns were) and every filter holds. A filter
 * on a payload field of a payload that is not JSON does not hold.
 */
final class RouteFilters {
    private RouteFilters() {
    }

    static BiPredicate<Message, Match> of(RouteConfig route, ObjectMapper json) {
        List<Pattern> excludes = route.excludeRegexPatterns();
        List<RouteConfig.Filter> filters = route.filters();
        if (excludes.isEmpty() && filters.isEmpty()) return (m, match) -> true;
        List<Pattern> compiledMatches = new ArrayList<>();
        for (RouteConfig.Filter f : filters) {
            compiledMatches.add(f.op() == RouteConfig.Op.MATCHES ? Pattern.compile(String.valueOf(f.value())) : null);
        }
        return (message, match) -> {
            for (Pattern p : excludes) if (p.matcher(message.topic()).find()) return false;
            JsonNode[] tree = new JsonNode[1];
            for (int i = 0; i < filters.size(); i++) {
                RouteConfig.Filter f = filters.get(i);
                Object actual = field(f, message, match, json, tree);
                if (!holds(f, actual, compiledMatches.get(i))) return false;
            }
            return true;
        };
    }

    private static Object field(RouteConfig.Filter f, Message message, Match match, ObjectMapper json, JsonNode[] tree) {
        return switch (f.source()) {
            case TOPIC -> message.topic();
            case PARAM -> match.params().get(f.name());
            case USER_PROPERTY -> message.properties().userProperty(f.name());
            case PAYLOAD -> {
                if (tree[0] == null) {
                    try {
                        tree[0] = json.readTree(message.payload());
                    } catch (JacksonException e) {
                        yield null;
                    }
                }
                JsonNode node = tree[0];
                if (node == null) yield null;
                for (String part : f.name().split("\\.")) {
                    node = node.isArray() && part.chars().allMatch(Character::isDigit) ? node.path(Integer.parseInt(part)) : node.path(part);
                }
                if (node.isMissingNode() || node.isNull()) yield null;
                if (node.isNumber()) yield node.decimalValue();
                if (node.isBoolean()) yield node.booleanValue();
                if (node.isString()) yield node.stringValue();
                yield node.toString();
            }
        };
    }

    private static boolean holds(RouteConfig.Filter f, Object actual, Pattern regex) {
        Object expected = f.value();
        return switch (f.op()) {
            case EXISTS -> (actual != null) == (expected == null || Boolean.TRUE.equals(expected) || "true".equals(String.valueOf(expected)));
            case EQUALS -> actual != null && same(actual, expected);
            case NOT_EQUALS -> actual == null || !same(actual, expected);
            case IN -> actual != null && expected instanceof Collection<?> c && c.stream().anyMatch(e -> same(actual, e));
            case MATCHES -> actual != null && regex.matcher(String.valueOf(actual)).find();
            case GT -> ordered(actual, expected, c -> c > 0);
            case GTE -> ordered(actual, expected, c -> c >= 0);
            case LT -> ordered(actual, expected, c -> c < 0);
            case LTE -> ordered(actual, expected, c -> c <= 0);
        };
    }

    private static boolean ordered(Object actual, Object expected, java.util.function.IntPredicate test) {
        Integer c = compare(actual, expected);
        return c != null && test.test(c);
    }

    private static boolean same(Object actual, Object expected) {
        BigDecimal a = number(actual);
        BigDecimal e = number(expected);
        if (a != null && e != null) return a.compareTo(e) == 0;
        return Objects.equals(String.valueOf(actual), String.valueOf(expected));
    }

    /** Compares as numbers; null when either value is missing or not a number (the filter then fails). */
    private static Integer compare(Object actual, Object expected) {
        BigDecimal a = number(actual);
        BigDecimal e = number(expected);
        return a == null || e == null ? null : a.compareTo(e);
    }

    private static BigDecimal number(Object o) {
        if (o instanceof BigDecimal b) return b;
        if (o instanceof Number n) return new BigDecimal(n.toString());
        if (o instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
