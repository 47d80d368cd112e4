package io.routemq.test;

import io.routemq.core.Outcome;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What one route did with one message, as the dispatcher reported it.
 *
 * @param route   the route's name (its full pattern unless it was named), or null for a message no route matched
 * @param topic   the message's topic
 * @param payload the payload the message arrived with
 * @param outcome how the route finished: {@link Outcome#HANDLED}, {@link Outcome#FILTERED}, {@link Outcome#FAILED},
 *                {@link Outcome#REJECTED}, or {@link Outcome#UNMATCHED} when no route matched
 * @param error   what the route's chain threw when it FAILED, else null
 */
public record HandledMessage(String route, String topic, byte[] payload, Outcome outcome, Throwable error) {

    /** Validates the fields. */
    public HandledMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** One line for failure messages: {@code HANDLED sensors/7/data by 'sensors/{id}/data'}. */
    @Override
    public String toString() {
        String by = route == null ? "" : " by '" + route + "'";
        String why = error == null ? "" : ": " + error;
        return outcome + " " + topic + by + why;
    }
}
