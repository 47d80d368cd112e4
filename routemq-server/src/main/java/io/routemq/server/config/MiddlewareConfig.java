package io.routemq.server.config;

import io.routemq.middleware.AuthConfig;
import io.routemq.middleware.DedupConfig;
import io.routemq.middleware.LogConfig;
import io.routemq.middleware.RateLimitConfig;
import io.routemq.middleware.ValidateConfig;

import java.util.List;

/**
 * A shipped middleware on a config route ({@code routes[i].middleware[j]}), written as a one-key object whose key is
 * the middleware's name. The gateway runs a route's middleware in the order written, after the route's own
 * {@code excludeRegex} and {@code filters}, and before the terminal step that forwards the message to the sinks.
 */
public sealed interface MiddlewareConfig {

    /** The middleware's name as written in the config. */
    String name();

    /**
     * Whether the middleware built from this never blocks its thread ({@link io.routemq.core.Middleware#nonBlocking()}
     * of that middleware, read from the options without building it): a route whose middleware all never block runs on
     * the thread that received the message ({@link RouteConfig#nonBlocking()}, shown by {@code routemq check}).
     *
     * @return true when it never blocks
     */
    default boolean nonBlocking() {
        return switch (this) {
            case Filter f -> true;
            case Auth a -> true;
            case Log l -> true;
            case RateLimit r -> r.options().nonBlocking();
            case Validate v -> v.options().nonBlocking();
            case Dedup d -> d.options().nonBlocking();
        };
    }

    /**
     * {@code filter}: the message goes on only when every condition holds; otherwise it is FILTERED (acknowledged,
     * counted, not forwarded). Written as one condition ({@code filter: {field: payload.temp, gt: 30}}) or a list.
     *
     * @param conditions the conditions, all of which must hold
     */
    record Filter(List<RouteConfig.Filter> conditions) implements MiddlewareConfig {
        /** Copies the list. */
        public Filter {
            conditions = List.copyOf(conditions);
        }

        @Override
        public String name() {
            return "filter";
        }
    }

    /** {@code rateLimit}: routemq-middleware's {@link io.routemq.middleware.RateLimit}, scoped to the route. */
    record RateLimit(RateLimitConfig options) implements MiddlewareConfig {
        @Override
        public String name() {
            return io.routemq.middleware.RateLimit.NAME;
        }
    }

    /** {@code auth}: routemq-middleware's {@link io.routemq.middleware.Auth}. */
    record Auth(AuthConfig options) implements MiddlewareConfig {
        @Override
        public String name() {
            return io.routemq.middleware.Auth.NAME;
        }
    }

    /** {@code validate}: routemq-middleware's {@link io.routemq.middleware.Validate}; its dead-letter sink is a configured sink. */
    record Validate(ValidateConfig options) implements MiddlewareConfig {
        @Override
        public String name() {
            return io.routemq.middleware.Validate.NAME;
        }
    }

    /** {@code dedup}: routemq-middleware's {@link io.routemq.middleware.Dedup}, scoped to the route. */
    record Dedup(DedupConfig options) implements MiddlewareConfig {
        @Override
        public String name() {
            return io.routemq.middleware.Dedup.NAME;
        }
    }

    /** {@code log}: routemq-middleware's {@link io.routemq.middleware.MessageLog}. */
    record Log(LogConfig options) implements MiddlewareConfig {
        @Override
        public String name() {
            return io.routemq.middleware.MessageLog.NAME;
        }
    }
}
