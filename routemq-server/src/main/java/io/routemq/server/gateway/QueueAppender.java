package io.routemq.server.gateway;

import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import io.routemq.queue.DurableQueue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway's terminal sink step: a route's message is encoded once and appended to the durable queue of each of
 * its sinks (one queue per sink, or one per URL for a fan-out HTTP sink). The future completes when every append is
 * durable, which is when the dispatcher acknowledges the message.
 */
final class QueueAppender implements SinkAppender {
    private final Map<String, List<DurableQueue>> queuesBySink;

    /** @param queuesBySink each configured sink's queues, by sink name */
    QueueAppender(Map<String, List<DurableQueue>> queuesBySink) {
        this.queuesBySink = Map.copyOf(queuesBySink);
    }

    @Override
    public Set<String> sinks() {
        return queuesBySink.keySet();
    }

    @Override
    public CompletableFuture<Void> append(List<String> sinks, Envelope envelope) {
        byte[] record = envelope.encode();
        if (sinks.size() == 1) {
            List<DurableQueue> queues = queuesBySink.get(sinks.get(0));
            if (queues.size() == 1) return queues.get(0).append(record).thenApply(offset -> null);
        }
        CompletableFuture<?>[] appends = sinks.stream().flatMap(s -> queuesBySink.get(s).stream()).map(q -> q.append(record))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(appends);
    }
}
