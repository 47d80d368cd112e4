package io.routemq.mqtt;

/**
 * Counters of one session since it was added (all of its connections). Exposed for metrics as
 * {@code mqtt_session_*}.
 *
 * @param received             messages received and handed on
 * @param acknowledged         messages acknowledged (PUBACK / PUBREC sent) after processing
 * @param notAcknowledged      messages left unacknowledged so that the broker redelivers them
 * @param inFlight             messages handed on and not yet finished
 * @param published            publishes completed (acknowledged by the broker at QoS 1 and 2)
 * @param publishFailures      publishes that failed
 * @param connects             successful connects (CONNACK accepted)
 * @param disconnects          connections lost or failed connect attempts
 * @param reconnectAttempts    reconnect attempts scheduled
 * @param subscriptionsRefused SUBACK refusals
 */
public record SessionStats(long received, long acknowledged, long notAcknowledged, long inFlight, long published,
                           long publishFailures, long connects, long disconnects, long reconnectAttempts, long subscriptionsRefused) {
}
