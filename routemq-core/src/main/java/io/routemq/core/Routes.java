package io.routemq.core;

/**
 * A route file: a class that defines routes on a {@link Router}, so that an application can be assembled from
 * several of them with their dependencies passed to their constructors.
 */
@FunctionalInterface
public interface Routes {
    /** Registers routes, groups and middleware. */
    void define(Router router);
}
