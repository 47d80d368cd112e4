package io.routemq.mqtt.internal;

import io.routemq.core.Publication;
import io.routemq.mqtt.SubscriptionSpec;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The few client operations a connection needs, over the HiveMQ MQTT 5 or MQTT 3.1.1 client. */
interface ClientAdapter {

    /** Lifecycle callbacks, called on client threads. */
    interface Callbacks {
        /** CONNACK accepted. */
        void connected(boolean sessionPresent);

        /**
         * The connection was lost or a connect attempt failed.
         *
         * @param byUser true when the application disconnected
         * @return the delay before reconnecting, or null not to reconnect
         */
        Duration disconnected(Throwable cause, boolean byUser);

        /** A scheduled reconnect starts now. */
        void reconnecting();
    }

    /** Starts the first connect; completes with session-present, or fails. */
    CompletableFuture<Boolean> connect();

    /** Subscribes one filter. Completes with the SUBACK result (also for a refusal); fails on connection errors. */
    CompletableFuture<SubResult> subscribe(String topicFilter, SubscriptionSpec spec);

    /** Unsubscribes one filter; completes at the UNSUBACK, fails on connection errors. */
    CompletableFuture<Void> unsubscribe(String topicFilter);

    /** Publishes; completes when written (QoS 0) or acknowledged (QoS 1, 2). */
    CompletableFuture<Void> publish(Publication publication);

    /** Disconnects cleanly (stops reconnecting). */
    CompletableFuture<Void> disconnect();

    /** Every received message, with manual acknowledgement; backpressured by request(n). */
    org.reactivestreams.Publisher<Incoming> incoming();
}
