package io.routemq.middleware;

import java.util.Objects;

/**
 * The options of {@link MessageLog}: the schema of a config route's {@code log:} middleware.
 *
 * @param level      the level of the lines (default {@link Level#INFO})
 * @param sample     the share of messages logged, in (0, 1] (default 1: every message)
 * @param payload    whether a line carries the payload (default false: never, whatever the level)
 * @param maxPayload how many payload bytes a line carries at most (default 256)
 * @param logger     the logger's name (default {@code routemq.messages}), so its level can be set apart
 */
public record LogConfig(Level level, double sample, boolean payload, int maxPayload, String logger) {

    /** A log level. */
    public enum Level {
        /** TRACE. */
        TRACE,
        /** DEBUG. */
        DEBUG,
        /** INFO. */
        INFO,
        /** WARN. */
        WARN
    }

    /** Validates; messages name the key as written under {@code log:}. */
    public LogConfig {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(logger, "logger");
        if (!(sample > 0 && sample <= 1)) throw new IllegalArgumentException("sample: must be more than 0 and at most 1, got " + sample);
        if (maxPayload < 1) throw new IllegalArgumentException("maxPayload: must be at least 1, got " + maxPayload);
        if (logger.isBlank()) throw new IllegalArgumentException("logger: must not be empty");
    }

    /** @return every message at INFO, without payloads */
    public static LogConfig defaults() {
        return new LogConfig(Level.INFO, 1, false, 256, "routemq.messages");
    }

    /** @param level the level @return these options with it */
    public LogConfig withLevel(Level level) {
        return new LogConfig(level, sample, payload, maxPayload, logger);
    }

    /** @param sample the share of messages logged @return these options with it */
    public LogConfig withSample(double sample) {
        return new LogConfig(level, sample, payload, maxPayload, logger);
    }

    /** @param maxBytes how many payload bytes a line carries @return these options, logging payloads */
    public LogConfig withPayload(int maxBytes) {
        return new LogConfig(level, sample, true, maxBytes, logger);
    }

    /** @param logger the logger's name @return these options with it */
    public LogConfig withLogger(String logger) {
        return new LogConfig(level, sample, payload, maxPayload, logger);
    }
}
