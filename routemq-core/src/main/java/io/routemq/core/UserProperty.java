package io.routemq.core;

import java.util.Objects;

/**
 * One MQTT 5 user property. MQTT allows the same name more than once, so properties are kept as a list.
 *
 * @param name  the property name
 * @param value the property value
 */
public record UserProperty(String name, String value) {
    /** Validates that neither part is null. */
    public UserProperty {
        Objects.requireNonNull(name, "user property name");
        Objects.requireNonNull(value, "user property value");
    }
}
