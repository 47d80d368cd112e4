package io.routemq.core;

import java.util.concurrent.CompletableFuture;

/**
 * Sends messages out: the seam between handlers and the MQTT transport. The MQTT module implements it over its
 * sessions; tests may implement it with a real in-process broker.
 */
@FunctionalInterface
public interface Publisher {
    /**
     * Publishes a message. At QoS 1 and 2 the future completes when the broker has acknowledged it; at QoS 0 when
     * it has been written. It completes exceptionally with a message naming the topic and session on failure.
     */
    CompletableFuture<Void> publish(Publication publication);
}
