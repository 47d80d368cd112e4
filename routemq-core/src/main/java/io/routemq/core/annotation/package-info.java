/**
 * Annotations for controllers whose methods are bound to topics by generated code, and the index of an
 * application's route files and controllers that the {@code routemq-processor} annotation processor writes at
 * compile time ({@link io.routemq.core.annotation.RouteIndex}). See docs/routing.md, "Controllers".
 */
package io.routemq.core.annotation;
