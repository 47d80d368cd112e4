package io.routemq.middleware;

/** Where a rate limit or dedup keeps its state. */
public enum Store {
    /** In this process, bounded in memory: each process limits on its own. */
    LOCAL,
    /**
     * In Redis, shared by every process using the same Redis; while Redis is unreachable the middleware works locally
     * (with a WARN and the {@code redis_fallback} metric) and goes back to Redis when it returns.
     */
    REDIS
}
