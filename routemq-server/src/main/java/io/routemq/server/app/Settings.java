package io.routemq.server.app;

import io.routemq.core.config.Values;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Config values for an application's components: the environment, with the app directory's {@code .env} file
 * underneath it (the environment wins). Inject it into a controller or middleware:
 * <pre>{@code
 * @Singleton
 * public final class Alerts {
 *     private final int limitKmh;
 *     public Alerts(Settings settings) { this.limitKmh = settings.getInt("SPEED_LIMIT_KMH", 120); }
 * }
 * }</pre>
 * A value that is missing or malformed fails with a message naming the variable.
 */
public final class Settings {
    private final Map<String, String> values;

    /**
     * Settings over a map of names to values.
     *
     * @param values the environment merged with {@code .env}
     */
    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(Objects.requireNonNull(values, "values"));
    }

    /** The value of a variable, if set. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value of a variable, or {@code fallback} when it is not set. */
    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * The value of a variable that must be set.
     *
     * @throws IllegalStateException naming the variable when it is not set
     */
    public String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("the variable " + name + " is not set: set it in the environment or in the app's .env file");
        }
        return v;
    }

    /**
     * An integer value, or {@code fallback} when not set.
     *
     * @throws IllegalStateException naming the variable when the value is not an integer
     */
    public int getInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + "=" + v + " is not an integer", e);
        }
    }

    /**
     * A boolean value ({@code true}/{@code false}), or {@code fallback} when not set.
     *
     * @throws IllegalStateException naming the variable when the value is neither
     */
    public boolean getBoolean(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(name + "=" + v + " is not true or false");
        };
    }

    /**
     * A duration written like {@code 500ms}, {@code 10s} or {@code 2m}, or {@code fallback} when not set.
     *
     * @throws IllegalStateException naming the variable when the value is not a duration
     */
    public Duration getDuration(String name, Duration fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        Duration d = Values.parseDuration(v);
        if (d == null) throw new IllegalStateException(name + "=" + v + " is not a duration: " + Values.DURATION_HINT);
        return d;
    }
}
