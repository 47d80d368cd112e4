package io.routemq.mqtt;

/** The broker refused a subscription in its SUBACK. */
public class SubscriptionRefusedException extends MqttException {
    private static final long serialVersionUID = 1L;
    private final SubscriptionRefusal refusal;

    /** @param refusal the refused filter and the reason */
    public SubscriptionRefusedException(String session, String broker, SubscriptionRefusal refusal) {
        super(session, broker, "broker " + broker + " refused subscription '" + refusal.filter() + "' on session '" + session
                + "': " + refusal.reason() + " (reason code 0x" + Integer.toHexString(refusal.reasonCode())
                + "); check the broker's ACL for this client and filter", null);
        this.refusal = refusal;
    }

    /** The refused filter and reason. */
    public SubscriptionRefusal refusal() {
        return refusal;
    }
}
