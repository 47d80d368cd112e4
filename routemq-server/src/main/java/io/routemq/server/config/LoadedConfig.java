package io.routemq.server.config;

import java.util.List;

/**
 * A config as loaded: the model plus where it came from and what looked doubtful.
 *
 * @param config   the validated model
 * @param source   the file as the user named it (or the classpath resource)
 * @param syntax   YAML or JSON
 * @param dialect  RouteMQ's own schema, or the Go middleware's JSON
 * @param warnings  things that work but are probably not meant, one line each with the place
 * @param overrides what the environment overrode (MQTT_BROKER and the others), one line each, secrets not shown
 */
public record LoadedConfig(GatewayConfig config, String source, Syntax syntax, Dialect dialect, List<String> warnings,
                           List<String> overrides) {

    /** Copies the lists. */
    public LoadedConfig {
        warnings = List.copyOf(warnings);
        overrides = List.copyOf(overrides);
    }

    /** The file syntax. */
    public enum Syntax {
        /** YAML. */
        YAML,
        /** JSON. */
        JSON
    }

    /** The schema a file follows. */
    public enum Dialect {
        /** RouteMQ's schema (docs/config.md). */
        ROUTEMQ,
        /** The Go EMQX middleware's JSON ({@code mqtt_brokers}, {@code sub_deal_config}, {@code log_config}). */
        GO_MIDDLEWARE
    }
}
