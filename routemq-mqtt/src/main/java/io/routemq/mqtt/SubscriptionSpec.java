package io.routemq.mqtt;

import io.routemq.core.Subscription;

import java.util.Objects;

/**
 * One subscription a session makes, and makes again with the same options after every reconnect.
 *
 * @param filter            the topic filter, without any share prefix
 * @param qos               the maximum QoS, 0 to 2
 * @param sharedGroup       the shared-subscription group, or null
 * @param workers           the number of connections that share it (1 when not shared)
 * @param noLocal           MQTT 5 no-local option
 * @param retainAsPublished MQTT 5 retain-as-published option
 * @param retainHandling    MQTT 5 retain handling: 0 send retained, 1 only for new subscriptions, 2 never
 */
public record SubscriptionSpec(String filter, int qos, String sharedGroup, int workers, boolean noLocal, boolean retainAsPublished,
                               int retainHandling) {

    /** Validates the fields. */
    public SubscriptionSpec {
        Objects.requireNonNull(filter, "filter");
        if (filter.isEmpty()) throw new IllegalArgumentException("subscription filter must not be empty");
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("subscription '" + filter + "': qos must be 0, 1 or 2, got " + qos);
        if (workers < 1) throw new IllegalArgumentException("subscription '" + filter + "': workers must be at least 1, got " + workers);
        if (sharedGroup == null && workers != 1) {
            throw new IllegalArgumentException("subscription '" + filter + "': workers > 1 needs a shared group (shared(group, workers))");
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("subscription '" + filter + "': retainHandling must be 0, 1 or 2, got " + retainHandling);
        }
    }

    /** A plain subscription. */
    public static SubscriptionSpec of(String filter, int qos) {
        return new SubscriptionSpec(filter, qos, null, 1, false, false, 0);
    }

    /** A shared subscription over {@code workers} connections. */
    public static SubscriptionSpec shared(String filter, int qos, String group, int workers) {
        return new SubscriptionSpec(filter, qos, Objects.requireNonNull(group, "group"), workers, false, false, 0);
    }

    /** The subscription a route table computed. */
    public static SubscriptionSpec from(Subscription s) {
        return new SubscriptionSpec(s.filter(), s.qos(), s.sharedGroup(), s.workers(), false, false, 0);
    }

    /** Whether it is shared. */
    public boolean shared() {
        return sharedGroup != null;
    }

    /** The filter to send: {@code <prefix>/<group>/<filter>} when shared. */
    public String topicFilter(String sharePrefix) {
        return sharedGroup == null ? filter : sharePrefix + "/" + sharedGroup + "/" + filter;
    }
}
