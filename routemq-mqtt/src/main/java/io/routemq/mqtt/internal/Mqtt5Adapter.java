package io.routemq.mqtt.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.routemq.core.MessageProperties;
import io.routemq.core.Publication;
import io.routemq.core.UserProperty;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SubscriptionSpec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The MQTT 5 client. */
final class Mqtt5Adapter implements ClientAdapter {
    private final InboundScheduler inbound = new InboundScheduler();
    private final Mqtt5Client client;
    private final Mqtt5Connect connect;

    Mqtt5Adapter(SessionConfig config, String clientId, Callbacks callbacks) {
        // The whole CONNECT (credentials, keep-alive, clean start, session expiry, receive maximum) is built once and
        // handed to the reconnector on every disconnect: otherwise the client rebuilds the CONNECT of a reconnect from
        // what the broker granted and its own defaults, and credentials given only on the first CONNECT are dropped.
        Mqtt5SimpleAuth auth = simpleAuth(config);
        Mqtt5ConnectBuilder cb = Mqtt5Connect.builder()
                .keepAlive((int) config.keepAlive().toSeconds())
                .cleanStart(config.cleanStart())
                .sessionExpiryInterval(config.sessionExpiry().toSeconds())
                .restrictions().receiveMaximum(config.receiveMaximum()).applyRestrictions();
        if (auth != null) cb.simpleAuth(auth);
        Mqtt5Connect connect = cb.build();
        this.connect = connect;
        Mqtt5ClientBuilder b = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .transportConfig(Transport.config(config))
                .executorConfig(Transport.executors(inbound))
                .simpleAuth(auth) // the client's default too, for any CONNECT the client builds by itself
                .addConnectedListener(ctx -> {
                    boolean present = ctx instanceof Mqtt5ClientConnectedContext c5 && c5.getConnAck().isSessionPresent();
                    callbacks.connected(present);
                })
                .addDisconnectedListener(ctx -> {
                    Duration delay = callbacks.disconnected(ctx.getCause(), ctx.getSource() == MqttDisconnectSource.USER);
                    if (ctx instanceof Mqtt5ClientDisconnectedContext c5) c5.getReconnector().connect(connect);
                    Transport.reconnect(ctx.getReconnector(), delay, callbacks);
                });
        this.client = b.build();
    }

    /** The user name and password of the session, or null when it has neither. */
    private static Mqtt5SimpleAuth simpleAuth(SessionConfig config) {
        if (config.username() == null && config.password() == null) return null;
        Mqtt5SimpleAuthBuilder auth = Mqtt5SimpleAuth.builder();
        Mqtt5SimpleAuthBuilder.Complete done = config.username() != null ? auth.username(config.username())
                : auth.password(config.password().getBytes(StandardCharsets.UTF_8));
        if (config.username() != null && config.password() != null) done = done.password(config.password().getBytes(StandardCharsets.UTF_8));
        return done.build();
    }

    @Override
    public CompletableFuture<Boolean> connect() {
        return client.toAsync().connect(connect).thenApply(ack -> ack.isSessionPresent());
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        return client.toAsync().unsubscribe(com.hivemq.client.mqtt.mqtt5.message.unsubscribe.Mqtt5Unsubscribe.builder()
                .topicFilter(topicFilter).build()).thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<SubResult> subscribe(String topicFilter, SubscriptionSpec spec) {
        Mqtt5Subscription sub = Mqtt5Subscription.builder().topicFilter(topicFilter).qos(qos(spec.qos()))
                .noLocal(spec.noLocal()).retainAsPublished(spec.retainAsPublished())
                .retainHandling(Mqtt5RetainHandling.fromCode(spec.retainHandling())).build();
        return client.toAsync().subscribe(Mqtt5Subscribe.builder().addSubscription(sub).build())
                .handle((ack, err) -> {
                    if (err != null) {
                        Throwable t = Errors.unwrap(err);
                        if (t instanceof Mqtt5SubAckException e) return result(e.getMqttMessage());
                        throw new java.util.concurrent.CompletionException(t);
                    }
                    return result(ack);
                });
    }

    private static SubResult result(Mqtt5SubAck ack) {
        Mqtt5SubAckReasonCode rc = ack.getReasonCodes().isEmpty() ? Mqtt5SubAckReasonCode.UNSPECIFIED_ERROR : ack.getReasonCodes().get(0);
        String reason = rc.name() + ack.getReasonString().map(r -> " (" + r + ")").orElse("");
        return new SubResult(!rc.isError(), rc.getCode(), reason);
    }

    @Override
    public CompletableFuture<Void> publish(Publication p) {
        Mqtt5PublishBuilder.Complete b = Mqtt5Publish.builder().topic(p.topic()).qos(qos(p.qos())).retain(p.retain()).payload(p.payload());
        MessageProperties props = p.properties();
        if (props != MessageProperties.NONE) {
            if (props.contentType() != null) b.contentType(props.contentType());
            if (props.responseTopic() != null) b.responseTopic(props.responseTopic());
            if (props.correlationData() != null) b.correlationData(props.correlationData());
            if (props.messageExpirySeconds() != null) b.messageExpiryInterval(props.messageExpirySeconds());
            if (props.payloadUtf8()) b.payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8);
            if (!props.userProperties().isEmpty()) {
                List<Mqtt5UserProperty> ups = new ArrayList<>(props.userProperties().size());
                for (UserProperty u : props.userProperties()) ups.add(Mqtt5UserProperty.of(u.name(), u.value()));
                b.userProperties(com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties.of(ups));
            }
        }
        return client.toAsync().publish(b.build()).thenApply(result -> {
            if (result.getError().isPresent()) throw new java.util.concurrent.CompletionException(result.getError().get());
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.toAsync().disconnect();
    }

    @Override
    public org.reactivestreams.Publisher<Incoming> incoming() {
        return inbound.direct(client.toRx().publishes(MqttGlobalPublishFilter.ALL, true).map(Mqtt5Adapter::incoming));
    }

    private static Incoming incoming(Mqtt5Publish p) {
        MessageProperties props = MessageProperties.NONE;
        if (!p.getUserProperties().asList().isEmpty() || p.getContentType().isPresent() || p.getResponseTopic().isPresent()
                || p.getCorrelationData().isPresent() || p.getMessageExpiryInterval().isPresent() || p.getPayloadFormatIndicator().isPresent()) {
            List<UserProperty> ups = new ArrayList<>();
            for (Mqtt5UserProperty u : p.getUserProperties().asList()) ups.add(new UserProperty(u.getName().toString(), u.getValue().toString()));
            props = new MessageProperties(ups, p.getContentType().map(Object::toString).orElse(null),
                    p.getResponseTopic().map(Object::toString).orElse(null),
                    p.getCorrelationData().map(Mqtt5Adapter::bytes).orElse(null),
                    p.getMessageExpiryInterval().isPresent() ? p.getMessageExpiryInterval().getAsLong() : null,
                    p.getPayloadFormatIndicator().map(f -> f == Mqtt5PayloadFormatIndicator.UTF_8).orElse(false));
        }
        return new Incoming(p.getTopic().toString(), p.getPayloadAsBytes(), p.getQos().getCode(), p.isRetain(), props, p::acknowledge);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static MqttQos qos(int q) {
        return MqttQos.fromCode(q);
    }
}
