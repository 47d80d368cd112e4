package io.routemq.broker;

/**
 * Counters of a running embedded broker.
 *
 * @param connections          clients connected now
 * @param droppedMessages      messages the broker dropped because a client queue reached its limit, a slow client hit
 *                             the QoS 0 memory limit or its socket was not writable (HiveMQ's count, without ACL drops)
 * @param deniedPublishes      publishes (and will messages) refused by the ACL
 * @param deniedSubscriptions  subscriptions refused by the ACL
 * @param failedLogins         connections refused by authentication (bad credentials, anonymous, a reserved client id)
 * @param filteredDeliveries   messages not delivered to a subscriber because the ACL does not let it read the topic
 */
public record BrokerStats(long connections, long droppedMessages, long deniedPublishes, long deniedSubscriptions,
                          long failedLogins, long filteredDeliveries) {
}
