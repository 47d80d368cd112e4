package io.routemq.mqtt;

import io.routemq.core.Acknowledgement;
import io.routemq.core.Message;

/**
 * What a session hands each received message to, with the acknowledgement that releases it: {@code
 * dispatcher::dispatch} fits. (Not a sink: sinks are the durable destinations of {@code io.routemq.core.sink}.)
 * The session acknowledges the message to the broker only when {@code ack} is completed with an outcome whose
 * {@link io.routemq.core.Outcome#acknowledge()} is true; it must be completed exactly once.
 */
@FunctionalInterface
public interface InboundListener {
    /**
     * Takes one message. May block to apply backpressure: the session then stops reading from the broker and the
     * broker holds the backlog.
     */
    void accept(Message message, Acknowledgement ack) throws InterruptedException;

    /**
     * Takes one message only if that needs no waiting, on the client's thread; returns false otherwise, and then the
     * message is not taken, {@code ack} is not called, and the session hands the message to {@link #accept} on its
     * own reading thread instead (in arrival order: once a message went there, the ones after it follow it there
     * until that thread has caught up). Must never block. The default takes nothing here.
     *
     * @return true if the message was taken: {@code ack} will be completed exactly once
     */
    default boolean tryAccept(Message message, Acknowledgement ack) {
        return false;
    }
}
