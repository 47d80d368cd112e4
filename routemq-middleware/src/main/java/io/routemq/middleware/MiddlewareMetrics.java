package io.routemq.middleware;

import io.routemq.core.Context;

/**
 * Where the shipped middleware count what they did to a message beyond letting it through: a rate limit's drops,
 * delays and local fallbacks, an auth refusal, an invalid payload, a duplicate. The gateway records them as the
 * counter {@code routemq_middleware_messages_total{middleware, route, result}}. Implementations must be fast,
 * thread-safe and must not throw.
 */
@FunctionalInterface
public interface MiddlewareMetrics {

    /** Counts nothing. */
    MiddlewareMetrics NONE = (middleware, ctx, result) -> { };

    /**
     * One message had a result.
     *
     * @param middleware the middleware's name as written in a config: {@code rateLimit}, {@code auth},
     *                   {@code validate}, {@code dedup}
     * @param ctx        the message on its route
     * @param result     what happened, in snake case: {@code dropped}, {@code delayed}, {@code redis_fallback},
     *                   {@code refused}, {@code invalid}, {@code dead_lettered}, {@code duplicate}
     */
    void record(String middleware, Context ctx, String result);
}
