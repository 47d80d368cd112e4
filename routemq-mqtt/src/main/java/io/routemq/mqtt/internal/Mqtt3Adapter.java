package io.routemq.mqtt.internal;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.routemq.core.MessageProperties;
import io.routemq.core.Publication;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SubscriptionSpec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The MQTT 3.1.1 client. MQTT 5 properties of a publication are dropped (3.1.1 has none). */
final class Mqtt3Adapter implements ClientAdapter {
    private final InboundScheduler inbound = new InboundScheduler();
    private final Mqtt3Client client;
    private final Mqtt3Connect connect;

    Mqtt3Adapter(SessionConfig config, String clientId, Callbacks callbacks) {
        // As for MQTT 5: the whole CONNECT goes to the reconnector on every disconnect, so every reconnect sends the
        // credentials, keep-alive and clean-session flag of the session.
        Mqtt3SimpleAuth auth = null;
        if (config.username() != null) {
            var a = Mqtt3SimpleAuth.builder().username(config.username());
            auth = config.password() != null ? a.password(config.password().getBytes(StandardCharsets.UTF_8)).build() : a.build();
        }
        Mqtt3ConnectBuilder cb = Mqtt3Connect.builder().keepAlive((int) config.keepAlive().toSeconds()).cleanSession(config.cleanStart());
        if (auth != null) cb.simpleAuth(auth);
        Mqtt3Connect connect = cb.build();
        this.connect = connect;
        this.client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .transportConfig(Transport.config(config))
                .executorConfig(Transport.executors(inbound))
                .simpleAuth(auth) // the client's default too, for any CONNECT the client builds by itself
                .addConnectedListener(ctx -> {
                    boolean present = ctx instanceof Mqtt3ClientConnectedContext c3 && c3.getConnAck().isSessionPresent();
                    callbacks.connected(present);
                })
                .addDisconnectedListener(ctx -> {
                    Duration delay = callbacks.disconnected(ctx.getCause(), ctx.getSource() == MqttDisconnectSource.USER);
                    if (ctx instanceof Mqtt3ClientDisconnectedContext c3) c3.getReconnector().connect(connect);
                    Transport.reconnect(ctx.getReconnector(), delay, callbacks);
                })
                .build();
    }

    @Override
    public CompletableFuture<Boolean> connect() {
        return client.toAsync().connect(connect).thenApply(ack -> ack.isSessionPresent());
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        return client.toAsync().unsubscribe(com.hivemq.client.mqtt.mqtt3.message.unsubscribe.Mqtt3Unsubscribe.builder()
                .topicFilter(topicFilter).build());
    }

    @Override
    public CompletableFuture<SubResult> subscribe(String topicFilter, SubscriptionSpec spec) {
        return client.toAsync().subscribe(Mqtt3Subscribe.builder().topicFilter(topicFilter).qos(Mqtt5Adapter.qos(spec.qos())).build())
                .handle((ack, err) -> {
                    if (err != null) {
                        Throwable t = Errors.unwrap(err);
                        if (t instanceof Mqtt3SubAckException e) return result(e.getMqttMessage());
                        throw new CompletionException(t);
                    }
                    return result(ack);
                });
    }

    private static SubResult result(Mqtt3SubAck ack) {
        Mqtt3SubAckReturnCode rc = ack.getReturnCodes().isEmpty() ? Mqtt3SubAckReturnCode.FAILURE : ack.getReturnCodes().get(0);
        return new SubResult(!rc.isError(), rc.getCode(), rc.name());
    }

    @Override
    public CompletableFuture<Void> publish(Publication p) {
        Mqtt3Publish pub = Mqtt3Publish.builder().topic(p.topic()).qos(Mqtt5Adapter.qos(p.qos())).retain(p.retain()).payload(p.payload()).build();
        return client.toAsync().publish(pub).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.toAsync().disconnect();
    }

    @Override
    public org.reactivestreams.Publisher<Incoming> incoming() {
        return inbound.direct(client.toRx().publishes(MqttGlobalPublishFilter.ALL, true)
                .map(p -> new Incoming(p.getTopic().toString(), p.getPayloadAsBytes(), p.getQos().getCode(), p.isRetain(),
                        MessageProperties.NONE, p::acknowledge)));
    }
}
