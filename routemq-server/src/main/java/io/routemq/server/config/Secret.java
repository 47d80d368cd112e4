package io.routemq.server.config;

import java.util.Objects;

/**
 * A password or token from the config. It prints as {@code ****} so that a config can be logged without leaking it.
 *
 * @param value the secret itself
 */
public record Secret(String value) {

    /** Validates the value. */
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /** A secret for a non-empty value, or null for null or empty. */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? null : new Secret(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
