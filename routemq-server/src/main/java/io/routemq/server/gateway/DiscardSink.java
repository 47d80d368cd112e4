package io.routemq.server.gateway;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.Sink;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * The {@code discard: {}} sink: every envelope the delivery worker hands it counts as delivered and is dropped. The
 * messages still pass the whole gateway (routes, middleware, the durable queue, its reading and commits), so it
 * measures everything but a destination, lets routes be tried before their destination exists, and drains a queue
 * on purpose. Batches take up to {@value #BATCH} records and wait up to {@value #LINGER_MILLIS} ms to fill.
 */
final class DiscardSink implements Sink {
    /** The most envelopes taken at once: a large window, so reading the queue dominates, not the worker's turns. */
    static final int BATCH = 1000;
    static final long LINGER_MILLIS = 10;
    private static final Duration LINGER = Duration.ofMillis(LINGER_MILLIS);

    private final String name;

    DiscardSink(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<DeliveryResult> deliver(List<Envelope> envelopes) {
        return Collections.nCopies(envelopes.size(), DeliveryResult.DELIVERED);
    }

    @Override
    public int maxBatch() {
        return BATCH;
    }

    /** A window fills for up to {@value #LINGER_MILLIS} ms: fewer, larger turns of the worker (nothing waits for a drop). */
    @Override
    public Duration linger() {
        return LINGER;
    }
}
