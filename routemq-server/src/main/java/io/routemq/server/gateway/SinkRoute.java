package io.routemq.server.gateway;

import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.queue.DurableQueue;

import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * A gateway route at run time: its filter and the durable queues of the sinks it forwards to (one queue per sink,
 * or per URL for a fan-out HTTP sink).
 *
 * @param name   the route name (as in the route table)
 * @param filter true to forward the message; false filters it out (counted, acknowledged)
 * @param queues the queues to enqueue into
 */
public record SinkRoute(String name, BiPredicate<Message, Match> filter, List<DurableQueue> queues) {
    /** Validates and copies. */
    public SinkRoute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(filter, "filter");
        queues = List.copyOf(queues);
    }
}
