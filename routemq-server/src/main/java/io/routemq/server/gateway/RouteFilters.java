package io.routemq.server.gateway;

import io.routemq.core.Context;
import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import io.routemq.middleware.Auth;
import io.routemq.middleware.Dedup;
import io.routemq.middleware.MessageLog;
import io.routemq.middleware.MiddlewareMetrics;
import io.routemq.middleware.RateLimit;
import io.routemq.middleware.Validate;
import io.routemq.redis.RedisConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.routemq.server.config.MiddlewareConfig;
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
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The shipped {@code filter} middleware of config routes: a route's {@code excludeRegex} and {@code filters}, and
 * each {@code filter} under its {@code middleware:}, each as one predicate. A message passes when no exclude
 * regex is found in its topic (anywhere, as the Go middleware's RE2 patterns were) and every filter holds. A filter
 * on a payload field of a payload that is not JSON does not hold.
 */
final class RouteFilters {
    private static final Logger log = LoggerFactory.getLogger(RouteFilters.class);

    private RouteFilters() {
    }

    /** A filter prepared once per route: where its field comes from, its JSON path, its regex. */
    private record Compiled(RouteConfig.Filter filter, RouteConfig.FieldSource source, String name, String[] path,
                            Pattern regex) {
        static Compiled of(RouteConfig.Filter f) {
            String name = f.name();
            return new Compiled(f, f.source(), name, name.split("\\."),
                    f.op() == RouteConfig.Op.MATCHES ? Pattern.compile(String.valueOf(f.value())) : null);
        }
    }

    /** The payload parsed at most once per message, whatever the number of payload filters. */
    private static final class Payload {
        private final byte[] bytes;
        private final ObjectMapper json;
        private boolean parsed;
        private JsonNode tree;

        Payload(byte[] bytes, ObjectMapper json) {
            this.bytes = bytes;
            this.json = json;
        }

        JsonNode tree() {
            if (!parsed) {
                parsed = true;
                try {
                    tree = json.readTree(bytes);
                } catch (JacksonException e) {
                    tree = null;
                }
            }
            return tree;
        }
    }

    /**
     * The route's middleware in run order: its own {@code excludeRegex} and {@code filters} as one {@code filter}
     * middleware, then its {@code middleware:} list. A message that does not pass a filter is not handed on
     * (FILTERED: acknowledged, counted, not forwarded); a filter that throws filters the message out, with a WARN.
     * Empty when the route has none, so that a plain forwarding route stays free of middleware. The other shipped
     * middleware (rateLimit, auth, validate, dedup, log) come from routemq-middleware.
     *
     * @param redis   the Redis connections for {@code store: redis}, asked for on first use
     * @param metrics where the shipped middleware count drops, refusals and fallbacks
     */
    static List<Middleware> middleware(RouteConfig route, ObjectMapper json, Supplier<RedisConnections> redis, MiddlewareMetrics metrics) {
        List<Middleware> out = new ArrayList<>();
        if (!route.excludeRegex().isEmpty() || !route.filters().isEmpty()) out.add(filter(route.name(), of(route, json)));
        for (MiddlewareConfig m : route.middleware()) {
            switch (m) {
                case MiddlewareConfig.Filter f -> out.add(filter(route.name(), predicate(List.of(), f.conditions(), json)));
                case MiddlewareConfig.RateLimit r -> out.add(RateLimit.of(r.options(), redis, metrics));
                case MiddlewareConfig.Auth a -> out.add(Auth.of(a.options(), metrics));
                case MiddlewareConfig.Validate v -> out.add(Validate.of(v.options(), metrics));
                case MiddlewareConfig.Dedup d -> out.add(Dedup.of(d.options(), redis, metrics));
                case MiddlewareConfig.Log l -> out.add(MessageLog.of(l.options()));
            }
        }
        return out;
    }

    private static Middleware filter(String route, BiPredicate<Message, Match> test) {
        return new Filter(route, test);
    }

    /** A route's {@code filters}, {@code excludeRegex} or {@code filter} middleware: a predicate, so never blocking. */
    private record Filter(String route, BiPredicate<Message, Match> test) implements Middleware {
        @Override
        public void handle(Context ctx, Next next) throws Exception {
            boolean pass;
            try {
                pass = test.test(ctx.message(), new Match(ctx.route(), ctx.topic()));
            } catch (RuntimeException e) {
                log.warn("route '{}': filter failed on topic '{}', message filtered out: {}", route, ctx.topic(), e.toString());
                pass = false;
            }
            if (pass) next.proceed(ctx);
        }

        @Override
        public boolean nonBlocking() {
            return true;
        }
    }

    /** The route's {@code excludeRegex} and {@code filters} as one predicate. */
    static BiPredicate<Message, Match> of(RouteConfig route, ObjectMapper json) {
        return predicate(route.excludeRegexPatterns(), route.filters(), json);
    }

    private static BiPredicate<Message, Match> predicate(List<Pattern> excludes, List<RouteConfig.Filter> conditions, ObjectMapper json) {
        List<Compiled> filters = new ArrayList<>();
        for (RouteConfig.Filter f : conditions) filters.add(Compiled.of(f));
        if (excludes.isEmpty() && filters.isEmpty()) return (m, match) -> true;
        return (message, match) -> {
            for (Pattern p : excludes) if (p.matcher(message.topic()).find()) return false;
            Payload payload = new Payload(message.payload(), json);
            for (Compiled c : filters) {
                if (!holds(c.filter(), field(c, message, match, payload), c.regex())) return false;
            }
            return true;
        };
    }

    private static Object field(Compiled c, Message message, Match match, Payload payload) {
        return switch (c.source()) {
            case TOPIC -> message.topic();
            case PARAM -> match.params().get(c.name());
            case USER_PROPERTY -> message.properties().userProperty(c.name());
            case PAYLOAD -> {
                JsonNode node = payload.tree();
                if (node == null) yield null;
                for (String part : c.path()) {
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
