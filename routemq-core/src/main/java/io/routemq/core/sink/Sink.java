package io.routemq.core.sink;

import java.time.Duration;
import java.util.List;

/**
 * A destination that messages are forwarded to (HTTP, Kafka, ...). The gateway's delivery worker reads envelopes
 * from the sink's durable queue, hands them over here, and retries, dead-letters or commits by the results. A sink
 * only delivers and classifies; retry timing, attempts, max age and dead letters belong to the worker.
 */
public interface Sink extends AutoCloseable {

    /** The sink's name, as in the config. */
    String name();

    /**
     * Delivers envelopes and returns one result per envelope, in the same order. It may send them one by one,
     * concurrently, or in batches. It blocks until every envelope has a result; it is called from a virtual thread.
     * It must not throw for a delivery failure: that is a {@link DeliveryResult.Retry} or
     * {@link DeliveryResult.Reject}. When {@link #maxConcurrentBatches()} is more than 1 it is called from several
     * threads at once.
     */
    List<DeliveryResult> deliver(List<Envelope> envelopes) throws InterruptedException;

    /** The most envelopes the worker should hand over at once (default 64). */
    default int maxBatch() {
        return 64;
    }

    /** How long the worker may wait for more envelopes to fill a batch (default: not at all). */
    default Duration linger() {
        return Duration.ZERO;
    }

    /**
     * How many {@link #deliver} calls the delivery worker may have in flight at once (default 1: one call at a time,
     * the worker waits for its results before the next). A sink that returns more must accept concurrent calls. The
     * worker keeps per-topic order for it: two calls in flight never hold envelopes of the same topic, a call starts
     * only once every earlier call holding one of its topics has finished (retries included), and the queue is
     * committed only up to the first record not yet delivered or dead-lettered.
     */
    default int maxConcurrentBatches() {
        return 1;
    }

    /** Releases connections and threads. */
    @Override
    default void close() {
    }
}
