/**
 * The application runtime: {@code routemq run} with an application on the class path. An application is the
 * gateway with code routes (docs/apps.md): its route files and controllers are found in the compile-time index of
 * {@code routemq-processor} ({@link io.routemq.core.annotation.RouteIndex}), built with avaje-inject (compile-time
 * dependency injection), and run by {@link io.routemq.server.gateway.Gateway} on the same pipeline as config routes.
 */
package io.routemq.server.app;
