package io.routemq.core;

import java.util.Objects;

/**
 * One MQTT subscription that a route table needs, as computed by {@link RouteTable#subscriptions()}.
 *
 * @param session     the session to subscribe on, or null for the default session
 * @param filter      the MQTT topic filter (parameters replaced by wildcards), without any share prefix
 * @param qos         the highest QoS of the routes it serves
 * @param sharedGroup the shared-subscription group, or null
 * @param workers     how many subscriber connections share it (1 when not shared)
 */
public record Subscription(String session, String filter, int qos, String sharedGroup, int workers) {

    /** The share prefix MQTT 5 defines. */
    public static final String DEFAULT_SHARE_PREFIX = "$share";

    /** Validates the fields. */
    public Subscription {
        Objects.requireNonNull(filter, "filter");
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos);
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }

    /** Whether this is a shared subscription. */
    public boolean shared() {
        return sharedGroup != null;
    }

    /** The filter to send in SUBSCRIBE: {@code $share/<group>/<filter>} when shared, else the filter. */
    public String topicFilter() {
        return topicFilter(DEFAULT_SHARE_PREFIX);
    }

    /** The filter to send in SUBSCRIBE, with a broker-specific share prefix (such as {@code $queue} style brokers use). */
    public String topicFilter(String sharePrefix) {
        return sharedGroup == null ? filter : sharePrefix + "/" + sharedGroup + "/" + filter;
    }

    @Override
    public String toString() {
        return topicFilter() + " qos " + qos + (workers > 1 ? " x" + workers : "") + (session != null ? " @" + session : "");
    }
}
