package io.routemq.core;

/**
 * Told about each message whose chain failed for good, after the route's {@link ErrorPolicy} gave up. It never
 * stops the dispatcher: what it throws is logged and ignored. The default logs the route name, the topic and the
 * error at WARN.
 */
@FunctionalInterface
public interface ErrorHandler {
    /**
     * Reports a failure.
     *
     * @param ctx      the context of the failed message (its route, topic and params)
     * @param error    what the chain threw on its last attempt
     * @param attempts how many attempts were made
     */
    void onError(Context ctx, Throwable error, int attempts);
}
