package io.routemq.server.config;

import io.routemq.broker.BrokerConfig;

import java.util.Objects;

/**
 * The embedded MQTT broker ({@code broker:}), which the gateway starts in-process when it is enabled: whether it runs,
 * and the broker module's own config record, bound from the same section by the broker module's reader (so
 * {@code routemq broker --config} reads the same keys with the same defaults).
 *
 * @param enabled {@code auto} (on only when no {@code brokers} are configured), {@code true} or {@code false}
 * @param config  the broker's config, without the gateway's internal client (added at start)
 */
public record EmbeddedBrokerConfig(Enabled enabled, BrokerConfig config) {

    /** Checks the fields. */
    public EmbeddedBrokerConfig {
        Objects.requireNonNull(enabled, "enabled");
        Objects.requireNonNull(config, "config");
    }

    /** Whether the embedded broker runs. */
    public enum Enabled {
        /** Only when no external broker is configured. */
        AUTO,
        /** Always. */
        TRUE,
        /** Never. */
        FALSE
    }

    /** The defaults: auto, and the broker module's defaults (127.0.0.1:1883, data/broker, no anonymous access). */
    public static EmbeddedBrokerConfig defaults() {
        return new EmbeddedBrokerConfig(Enabled.AUTO, BrokerConfig.defaults());
    }
}
