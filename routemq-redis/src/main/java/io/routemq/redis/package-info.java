/**
 * Redis for RouteMQ applications, middleware and jobs: {@link io.routemq.redis.RedisConfig} (the {@code redis:}
 * section) and {@link io.routemq.redis.RedisConnections} (one client, a shared connection, dedicated connections for
 * blocking commands).
 */
package io.routemq.redis;
