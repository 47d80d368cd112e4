/**
 * Shipped middleware for RouteMQ routes, usable from Java ({@code router.middleware(RateLimit.tokenBucket(...).build())})
 * and from a config route's {@code middleware:} list: {@link io.routemq.middleware.RateLimit},
 * {@link io.routemq.middleware.Auth}, {@link io.routemq.middleware.Validate}, {@link io.routemq.middleware.Dedup} and
 * {@link io.routemq.middleware.MessageLog}. Each one's options are a record with a builder, which is also the schema a
 * config binds into. docs/middleware.md describes each one and its outcome on refusal.
 */
package io.routemq.middleware;
