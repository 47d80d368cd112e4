package io.routemq.mqtt;

import io.routemq.core.Publication;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One named broker session, managed by a {@link SessionManager}. It owns one client connection, plus one more per
 * extra shared-subscription worker. It reconnects by itself and subscribes every filter again after each reconnect.
 */
public interface MqttSession {
    /** The session name. */
    String name();

    /** The options. */
    SessionConfig config();

    /** A snapshot of its state, last error, refusals and counters. */
    SessionStatus status();

    /**
     * Subscribes (now when connected, and after every reconnect) and hands matching messages to {@code listener}. Call it
     * before {@link #connect()} so that messages a persistent session kept are not missed.
     *
     * @return completes at the first SUBACK granting it, or fails with {@link SubscriptionRefusedException}
     */
    CompletableFuture<Void> subscribe(SubscriptionSpec subscription, InboundListener listener);

    /**
     * Drops a subscription made with {@link #subscribe}: unsubscribes now when connected, and no longer subscribes
     * after a reconnect. A subscription this session does not have is no error.
     *
     * @return completes at the broker's UNSUBACK (at once when not connected)
     */
    CompletableFuture<Void> unsubscribe(SubscriptionSpec subscription);

    /**
     * Publishes on this session. At QoS 1 and 2 the future completes when the broker has acknowledged the message.
     * While reconnecting, the publish waits for the connection. Fails with {@link PublishException}.
     */
    CompletableFuture<Void> publish(Publication publication);

    /** Starts connecting (and reconnecting). Returns at once; see {@link #awaitReady(Duration)}. */
    void connect();

    /**
     * Waits until the session is ready.
     *
     * @throws MqttException           the last connection error (auth, TLS, refused) as soon as one is known and
     *                                 no connection is up
     * @throws ConnectTimeoutException when not ready in time, with the last error as cause
     */
    void awaitReady(Duration timeout) throws InterruptedException;

    /**
     * Stops taking messages, waits (up to {@code timeout}) for those in flight to finish and be acknowledged, then
     * disconnects cleanly.
     *
     * @return true if everything in flight was finished and acknowledged in time
     */
    boolean disconnect(Duration timeout) throws InterruptedException;
}
