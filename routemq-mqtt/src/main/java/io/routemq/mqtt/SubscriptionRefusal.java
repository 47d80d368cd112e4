package io.routemq.mqtt;

/**
 * A subscription the broker refused.
 *
 * @param filter     the filter as sent in SUBSCRIBE (with any share prefix)
 * @param reasonCode the SUBACK reason code (MQTT 5) or 0x80 (MQTT 3.1.1 failure)
 * @param reason     the reason code's name, such as {@code NOT_AUTHORIZED}
 */
public record SubscriptionRefusal(String filter, int reasonCode, String reason) {
}
