package io.routemq.broker.internal;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.routemq.broker.BrokerConfig;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RouteMQ's HiveMQ extension: authentication (config users, password file, optional anonymous access), the reserved
 * identity of the embedding application (its client ids and user refused to anyone else, CONNACK 0x85) and, when an
 * ACL is configured, authorization of subscriptions (SUBACK failure code), of will messages (CONNACK refused), of
 * publishes (dropped, PUBACK 0x87 for MQTT 5; the client stays connected) and of each delivery (a message on a topic
 * the client may not read is not sent to it).
 *
 * <p>Public only because {@code io.routemq.broker.EmbeddedBroker}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class RouteMqExtension implements ExtensionMain {

    private static final Logger log = LoggerFactory.getLogger("io.routemq.broker.auth");
    /** Connection attribute holding the authenticated user name. */
    static final String USER_ATTRIBUTE = "io.routemq.broker.user";
    /** Connection attribute set on the connection of the reserved internal identity. */
    static final String INTERNAL_ATTRIBUTE = "io.routemq.broker.internal";

    private final boolean allowAnonymous;
    private final Credentials credentials;
    private final AclEngine acl;
    private final BrokerConfig.Internal internal;
    private final RateLimitedLog denyLog = new RateLimitedLog(log, 20);
    private final RateLimitedLog reservedLog = new RateLimitedLog(log, 5);
    private final AtomicLong filteredDeliveries = new AtomicLong();
    private final AtomicLong deniedPublishes = new AtomicLong();
    private final AtomicLong droppedByAcl = new AtomicLong();
    private final AtomicLong deniedSubscriptions = new AtomicLong();
    private final AtomicLong failedLogins = new AtomicLong();

    /**
     * @param config      broker config
     * @param credentials the user database
     */
    public RouteMqExtension(BrokerConfig config, Credentials credentials) {
        this.allowAnonymous = config.allowAnonymous();
        this.credentials = credentials;
        this.acl = config.acl() == null ? null : new AclEngine(config.acl());
        this.internal = config.internal();
    }

    /** @return deliveries not sent because the receiving client may not read the topic (HiveMQ counts these as dropped) */
    public long filteredDeliveries() {
        return filteredDeliveries.get();
    }

    /** @return publishes refused by the ACL */
    public long deniedPublishes() {
        return deniedPublishes.get();
    }

    /**
     * @return publishes the ACL dropped after they arrived plus deliveries it prevented (HiveMQ counts both as
     * dropped; wills excluded)
     */
    public long droppedByAcl() {
        return droppedByAcl.get() + filteredDeliveries.get();
    }

    /** @return subscriptions refused by the ACL */
    public long deniedSubscriptions() {
        return deniedSubscriptions.get();
    }

    /** @return refused logins */
    public long failedLogins() {
        return failedLogins.get();
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        SimpleAuthenticator authenticator = this::authenticate;
        Services.securityRegistry().setAuthenticatorProvider(in -> authenticator);
        if (acl != null) {
            Services.securityRegistry().setAuthorizerProvider(in -> {
                if (isInternal(in.getConnectionInformation())) {
                    return UNRESTRICTED;
                }
                String user = user(in.getConnectionInformation());
                String clientId = in.getClientInformation().getClientId();
                return new ClientAuthorizer(acl.forClient(user, clientId), user, clientId);
            });
            Services.initializerRegistry().setClientInitializer((in, ctx) -> {
                if (isInternal(in.getConnectionInformation())) {
                    return;
                }
                String user = user(in.getConnectionInformation());
                String clientId = in.getClientInformation().getClientId();
                boolean mqtt5 = in.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
                AclEngine.ClientAcl clientAcl = acl.forClient(user, clientId);
                ctx.addPublishInboundInterceptor(new PublishAcl(clientAcl, user, clientId, mqtt5));
                if (clientAcl.filtersReads()) {
                    ctx.addPublishOutboundInterceptor(new DeliveryAcl(clientAcl, user, clientId));
                }
            });
        }
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // nothing to release
    }

    private static String user(ConnectionInformation info) {
        return info.getConnectionAttributeStore().getAsString(USER_ATTRIBUTE).orElse(null);
    }

    private static boolean isInternal(ConnectionInformation info) {
        return info.getConnectionAttributeStore().getAsString(INTERNAL_ATTRIBUTE).isPresent();
    }

    /** The internal identity: subscribes and publishes without ACL checks. */
    private static final UnrestrictedAuthorizer UNRESTRICTED = new UnrestrictedAuthorizer();

    private void authenticate(SimpleAuthInput in, SimpleAuthOutput out) {
        String clientId = in.getClientInformation().getClientId();
        Optional<String> userName = in.getConnectPacket().getUserName();
        if (internal != null && (internal.reserves(clientId) || credentials.isInternal(userName.orElse(null)))) {
            authenticateReserved(in, out, clientId, userName.orElse(null));
            return;
        }
        if (userName.isEmpty()) {
            if (allowAnonymous) {
                out.authenticateSuccessfully();
            } else {
                failedLogins.incrementAndGet();
                denyLog.warn("Refused client '{}' from {}: no user name and anonymous access is off"
                        + " (set broker.allowAnonymous: true to allow it)", clientId, address(in.getConnectionInformation()));
                out.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "anonymous access is disabled");
            }
            return;
        }
        String user = userName.get();
        byte[] password = in.getConnectPacket().getPassword().map(RouteMqExtension::bytes).orElse(new byte[0]);
        boolean ok;
        try {
            ok = in.getConnectPacket().getPassword().isPresent() && credentials.check(user, password);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        if (ok) {
            in.getConnectionInformation().getConnectionAttributeStore().putAsString(USER_ATTRIBUTE, user);
            out.authenticateSuccessfully();
        } else {
            failedLogins.incrementAndGet();
            denyLog.warn("Refused client '{}' from {}: bad user name or password for user '{}'",
                    clientId, address(in.getConnectionInformation()), user);
            out.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
        }
    }

    /** A CONNECT that names the reserved client id or user: only the internal credentials pass. */
    private void authenticateReserved(SimpleAuthInput in, SimpleAuthOutput out, String clientId, String user) {
        boolean internalUser = credentials.isInternal(user);
        byte[] password = in.getConnectPacket().getPassword().map(RouteMqExtension::bytes).orElse(new byte[0]);
        boolean ok;
        try {
            ok = internalUser && in.getConnectPacket().getPassword().isPresent() && credentials.check(user, password);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        if (ok && internal.reserves(clientId)) {
            ConnectionInformation info = in.getConnectionInformation();
            info.getConnectionAttributeStore().putAsString(USER_ATTRIBUTE, user);
            info.getConnectionAttributeStore().putAsString(INTERNAL_ATTRIBUTE, "true");
            out.authenticateSuccessfully();
            return;
        }
        failedLogins.incrementAndGet();
        String from = address(in.getConnectionInformation());
        if (internalUser) {
            // the reserved user name with a wrong password, or with some other client id
            reservedLog.warn("Refused client '{}' from {}: user '{}' is reserved for the gateway's own session"
                    + " (client id '{}')", clientId, from, user, internal.clientId());
            out.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
        } else {
            reservedLog.warn("Refused client '{}' from {} ({}): client id '{}' and '{}-N' are reserved for the"
                    + " gateway's own session; connect with another client id", clientId, from,
                    user == null ? "anonymous" : "user '" + user + "'", internal.clientId(), internal.clientId());
            out.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client id '" + clientId + "' is reserved");
        }
    }

    private static String address(ConnectionInformation info) {
        return info.getInetAddress().map(InetAddress::getHostAddress).orElse("unknown address");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.asReadOnlyBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static String who(String user, String clientId) {
        return "user '" + (user == null ? "<anonymous>" : user) + "' (client '" + clientId + "')";
    }

    /** Subscriptions and will messages of one client. */
    private final class ClientAuthorizer implements SubscriptionAuthorizer, PublishAuthorizer {
        private final AclEngine.ClientAcl clientAcl;
        private final String user;
        private final String clientId;

        ClientAuthorizer(AclEngine.ClientAcl clientAcl, String user, String clientId) {
            this.clientAcl = clientAcl;
            this.user = user;
            this.clientId = clientId;
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput in, SubscriptionAuthorizerOutput out) {
            String filter = in.getSubscription().getTopicFilter();
            if (clientAcl.canSubscribe(filter)) {
                out.authorizeSuccessfully();
            } else {
                deniedSubscriptions.incrementAndGet();
                denyLog.warn("ACL denied subscribe: {} to '{}'", who(user, clientId), filter);
                out.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter);
            }
        }

        @Override
        public void authorizePublish(PublishAuthorizerInput in, PublishAuthorizerOutput out) {
            if (!(in.getPublishPacket() instanceof WillPublishPacket will)) {
                // ordinary publishes are checked by PublishAcl, which drops them without disconnecting
                out.authorizeSuccessfully();
                return;
            }
            if (clientAcl.canPublish(will.getTopic())) {
                out.authorizeSuccessfully();
            } else {
                deniedPublishes.incrementAndGet();
                denyLog.warn("ACL denied will message: {} to '{}'; connection refused", who(user, clientId), will.getTopic());
                out.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish the will to " + will.getTopic());
            }
        }
    }

    /** Everything allowed: the internal identity. */
    private static final class UnrestrictedAuthorizer implements SubscriptionAuthorizer, PublishAuthorizer {
        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput in, SubscriptionAuthorizerOutput out) {
            out.authorizeSuccessfully();
        }

        @Override
        public void authorizePublish(PublishAuthorizerInput in, PublishAuthorizerOutput out) {
            out.authorizeSuccessfully();
        }
    }

    /** Deliveries to one client: a message on a topic it may not read is not sent (its subscription stays). */
    private final class DeliveryAcl implements PublishOutboundInterceptor {
        private final AclEngine.ClientAcl clientAcl;
        private final String user;
        private final String clientId;

        DeliveryAcl(AclEngine.ClientAcl clientAcl, String user, String clientId) {
            this.clientAcl = clientAcl;
            this.user = user;
            this.clientId = clientId;
        }

        @Override
        public void onOutboundPublish(PublishOutboundInput in, PublishOutboundOutput out) {
            String topic = in.getPublishPacket().getTopic();
            if (!clientAcl.canRead(topic)) {
                filteredDeliveries.incrementAndGet();
                if (log.isDebugEnabled()) {
                    log.debug("ACL: not delivering '{}' to {}: it may not read that topic", topic, who(user, clientId));
                }
                out.preventPublishDelivery();
            }
        }
    }

    /** Publishes of one client. */
    private final class PublishAcl implements PublishInboundInterceptor {
        private final AclEngine.ClientAcl clientAcl;
        private final String user;
        private final String clientId;
        private final boolean mqtt5;

        PublishAcl(AclEngine.ClientAcl clientAcl, String user, String clientId, boolean mqtt5) {
            this.clientAcl = clientAcl;
            this.user = user;
            this.clientId = clientId;
            this.mqtt5 = mqtt5;
        }

        @Override
        public void onInboundPublish(PublishInboundInput in, PublishInboundOutput out) {
            String topic = in.getPublishPacket().getTopic();
            if (!clientAcl.canPublish(topic)) {
                deniedPublishes.incrementAndGet();
                droppedByAcl.incrementAndGet();
                denyLog.warn("ACL denied publish: {} to '{}'; message dropped", who(user, clientId), topic);
                if (mqtt5) {
                    out.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + topic);
                } else {
                    // MQTT 3 has no reason codes: HiveMQ would disconnect on an error code, so ack and drop
                    out.preventPublishDelivery();
                }
            }
        }
    }

}
