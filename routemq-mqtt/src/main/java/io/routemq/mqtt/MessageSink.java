package io.routemq.mqtt;

import io.routemq.core.Acknowledgement;
import io.routemq.core.Message;

/**
 * Where a session hands received messages: {@code dispatcher::dispatch} fits, and so does a gateway step that
 * durably enqueues. The session acknowledges the message to the broker only when {@code ack} is completed with an
 * outcome whose {@link io.routemq.core.Outcome#acknowledge()} is true; it must be completed exactly once.
 */
@FunctionalInterface
public interface MessageSink {
    /**
     * Takes one message. May block to apply backpressure: the session then stops reading from the broker and the
     * broker holds the backlog.
     */
    void accept(Message message, Acknowledgement ack) throws InterruptedException;
}
