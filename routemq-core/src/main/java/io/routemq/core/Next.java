package io.routemq.core;

/** The rest of a middleware chain: the following middleware, then the handler. */
@FunctionalInterface
public interface Next {
    /**
     * Runs the rest of the chain on this thread and returns when it has finished.
     *
     * @throws IllegalStateException if called a second time by the same middleware
     * @throws Exception whatever the rest of the chain throws
     */
    void proceed(Context ctx) throws Exception;
}
