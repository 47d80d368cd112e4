package io.routemq.core;

/**
 * A step in front of a handler, in the style of OkHttp's {@code Interceptor}: it may inspect or enrich the
 * {@link Context}, then call {@link Next#proceed(Context)} to continue. Not calling {@code next} stops the message
 * there; that is counted as {@link Outcome#FILTERED}, not as an error.
 *
 * <p>Order: global middleware first, then group middleware from the outermost group inwards, then the route's own.
 * <pre>{@code
 * public final class RequireToken implements Middleware {
 *     public void handle(Context ctx, Next next) throws Exception {
 *         if (tokens.valid(ctx.userProperty("token"))) next.proceed(ctx);
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Middleware {
    /** Handles one message, calling {@code next.proceed(ctx)} at most once to pass it on. */
    void handle(Context ctx, Next next) throws Exception;

    /**
     * Whether this middleware never blocks in {@link #handle} (no I/O that waits, no sleep, no lock held long), the
     * promise {@link RouteBuilder#nonBlocking()} asks of a route. The gateway runs a forwarding route (one without a
     * handler) declared in its config file on the thread that received the message when each of the route's
     * middleware says so, as it runs one without middleware; otherwise on the topic's lane thread. Default false: a
     * middleware that does not say may block.
     *
     * @return true only when no call of {@link #handle} waits on anything
     */
    default boolean nonBlocking() {
        return false;
    }
}
