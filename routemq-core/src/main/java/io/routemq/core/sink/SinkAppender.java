package io.routemq.core.sink;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The terminal step of a route that forwards: it puts a message durably into the queue of each of its sinks. The
 * {@link io.routemq.core.Dispatcher} calls it after the route's middleware and handler have finished, and
 * acknowledges the message only when the returned future has completed normally. A failed future leaves the message
 * unacknowledged, so the broker delivers it again.
 *
 * <p>The dispatcher calls {@link #append} in arrival order for the messages of one topic and does not wait for one
 * append before issuing the next (appends are pipelined: many share one fsync). Implementations must keep the
 * order of the calls in each queue, must not block for long (return a future instead), and must not lose a future:
 * each one completes, normally or exceptionally.
 */
public interface SinkAppender {

    /** The names of the sinks this appender serves; a route naming another sink fails when the dispatcher is built. */
    Set<String> sinks();

    /**
     * Appends the envelope to the durable queue of every named sink.
     *
     * @param sinks    the route's sinks, each one of {@link #sinks()}
     * @param envelope the message as the route's handler left it
     * @return completes when every append is durable; completes exceptionally when one of them failed
     */
    CompletableFuture<Void> append(List<String> sinks, Envelope envelope);
}
