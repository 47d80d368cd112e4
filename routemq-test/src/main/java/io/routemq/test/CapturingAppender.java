package io.routemq.test;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The kit's terminal sink step: where the gateway's appender puts an envelope into each sink's durable queue for a
 * delivery worker, this one hands it straight to each sink, in call order, and completes when every sink delivered
 * it. A sink that does not deliver fails the future, so the message is not acknowledged, as in the gateway.
 */
final class CapturingAppender implements SinkAppender {
    private final Map<String, CapturingSink> sinks;

    CapturingAppender(Map<String, CapturingSink> sinks) {
        this.sinks = Map.copyOf(sinks);
    }

    @Override
    public Set<String> sinks() {
        return sinks.keySet();
    }

    @Override
    public CompletableFuture<Void> append(List<String> names, Envelope envelope) {
        for (String name : names) {
            DeliveryResult result = sinks.get(name).deliver(List.of(envelope)).get(0);
            if (!(result instanceof DeliveryResult.Delivered)) {
                return CompletableFuture.failedFuture(new IllegalStateException("sink '" + name + "' did not take the message on '"
                        + envelope.topic() + "': " + result));
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
