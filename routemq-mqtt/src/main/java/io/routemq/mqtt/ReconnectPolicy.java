package io.routemq.mqtt;

import io.routemq.core.Backoff;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How a session reconnects: the project's {@link Backoff} with upward jitter. Attempt {@code n} (from 1) waits
 * {@code min(maxDelay, initialDelay * multiplier^(n-1))}, plus a random extra of up to {@code jitter} times that
 * (so {@code jitter = 0.2} adds 0-20%), never more than {@code maxDelay}. Reconnecting never gives up.
 *
 * @param backoff the delays, with {@link Backoff.Jitter#UP} jitter
 */
public record ReconnectPolicy(Backoff backoff) {

    /** 1s, doubling, up to 30s, with 20% jitter. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, 0.2);

    /** Environment name of the initial delay in seconds (the Python RouteMQ's name). */
    public static final String ENV_MIN_DELAY = "MQTT_RETRY_MIN_DELAY";
    /** Environment name of the maximum delay in seconds (the Python RouteMQ's name). */
    public static final String ENV_MAX_DELAY = "MQTT_RETRY_MAX_DELAY";
    /** Environment name of the jitter fraction (the Python RouteMQ's name). */
    public static final String ENV_JITTER = "MQTT_RETRY_JITTER";
    /** Environment name of the multiplier (RouteMQ for Java only). */
    public static final String ENV_MULTIPLIER = "MQTT_RETRY_MULTIPLIER";

    /** Checks that the backoff's jitter goes up, as a reconnect's does. */
    public ReconnectPolicy {
        Objects.requireNonNull(backoff, "backoff");
        if (backoff.spread() != Backoff.Jitter.UP) {
            throw new IllegalArgumentException("reconnect jitter only adds to a delay (Backoff.Jitter.UP), got " + backoff.spread());
        }
    }

    /**
     * A policy of these values.
     *
     * @param initialDelay the delay before the first reconnect attempt (default 1s)
     * @param maxDelay     the longest delay (default 30s)
     * @param multiplier   the growth factor per attempt, at least 1 (default 2)
     * @param jitter       the random extra as a fraction of the delay, at least 0 (default 0.2)
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ReconnectPolicy(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
        this(backoff(initialDelay, maxDelay, multiplier, jitter));
    }

    private static Backoff backoff(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
        try {
            return new Backoff(initialDelay, maxDelay, multiplier, jitter, Backoff.Jitter.UP);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("reconnect " + e.getMessage(), e);
        }
    }

    /** The delay before the first reconnect attempt. */
    public Duration initialDelay() {
        return backoff.initial();
    }

    /** The longest delay. */
    public Duration maxDelay() {
        return backoff.max();
    }

    /** The growth factor per attempt. */
    public double multiplier() {
        return backoff.multiplier();
    }

    /** The random extra as a fraction of the delay. */
    public double jitter() {
        return backoff.jitter();
    }

    /** A policy with these delays and the default multiplier and jitter. */
    public static ReconnectPolicy of(Duration initialDelay, Duration maxDelay) {
        return new ReconnectPolicy(initialDelay, maxDelay, DEFAULT.multiplier(), DEFAULT.jitter());
    }

    /**
     * Reads {@code MQTT_RETRY_MIN_DELAY}, {@code MQTT_RETRY_MAX_DELAY} (seconds, decimals allowed),
     * {@code MQTT_RETRY_JITTER} (fraction) and {@code MQTT_RETRY_MULTIPLIER}; absent names keep the defaults.
     *
     * @param env usually {@code System.getenv()}
     * @throws IllegalArgumentException naming the variable when a value is not a number or out of range
     */
    public static ReconnectPolicy fromEnvironment(Map<String, String> env) {
        Duration min = seconds(env, ENV_MIN_DELAY, DEFAULT.initialDelay());
        Duration max = seconds(env, ENV_MAX_DELAY, DEFAULT.maxDelay());
        if (max.compareTo(min) < 0) {
            if (env.containsKey(ENV_MAX_DELAY)) {
                throw new IllegalArgumentException(ENV_MAX_DELAY + "=" + env.get(ENV_MAX_DELAY) + " is less than " + ENV_MIN_DELAY
                        + "=" + env.get(ENV_MIN_DELAY) + "; the maximum delay must be at least the minimum");
            }
            max = min;
        }
        double jitter = number(env, ENV_JITTER, DEFAULT.jitter());
        double mult = number(env, ENV_MULTIPLIER, DEFAULT.multiplier());
        try {
            return new ReconnectPolicy(min, max, mult, jitter);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reconnect policy from environment: " + e.getMessage(), e);
        }
    }

    private static Duration seconds(Map<String, String> env, String name, Duration dflt) {
        double v = number(env, name, dflt.toNanos() / 1e9);
        if (v < 0) throw new IllegalArgumentException(name + "=" + env.get(name) + " must not be negative (seconds)");
        return Duration.ofNanos(Math.round(v * 1e9));
    }

    private static double number(Map<String, String> env, String name, double dflt) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return dflt;
        try {
            double v = Double.parseDouble(raw.trim().toLowerCase(Locale.ROOT));
            if (Double.isNaN(v) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + raw + "' is not a number; use seconds such as 0.5 or 30", e);
        }
    }

    /** The delay before attempt {@code attempt} (from 1), with jitter from {@code random} (values in [0,1)). */
    public Duration delay(int attempt, DoubleSupplier random) {
        return backoff.delay(attempt, random);
    }
}
