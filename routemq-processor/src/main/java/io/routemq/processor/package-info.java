/**
 * The RouteMQ annotation processor ({@link io.routemq.processor.RouteProcessor}): it writes the route index
 * ({@code META-INF/routemq/index}) and, for each controller, a route file that binds its {@code @Topic} methods with
 * generated code. Everything else in this package is its implementation.
 */
package io.routemq.processor;
