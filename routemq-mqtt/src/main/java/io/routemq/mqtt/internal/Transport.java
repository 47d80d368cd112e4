package io.routemq.mqtt.internal;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import io.routemq.mqtt.SessionConfig;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Transport setup and the reconnect decision, shared by both protocol versions. */
final class Transport {
    private Transport() {
    }

    static MqttClientTransportConfig config(SessionConfig config) {
        MqttClientTransportConfigBuilder t = MqttClientTransportConfig.builder()
                .serverHost(config.host()).serverPort(config.port())
                .socketConnectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (config.tlsEnabled()) t.sslConfig(Tls.sslConfig(config));
        if (config.webSocket()) {
            t.webSocketConfig(MqttWebSocketConfig.builder().serverPath(config.webSocketPath())
                    .handshakeTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS).build());
        }
        return t.build();
    }

    /**
     * The client's executors: its shared Netty event loops, and {@code inbound} as its application scheduler (received
     * messages delivered on the event loop, everything else on the client's default scheduler).
     */
    static MqttClientExecutorConfig executors(InboundScheduler inbound) {
        return MqttClientExecutorConfig.builder().applicationScheduler(inbound).build();
    }

    /**
     * Configures the client's reconnector from our decision (the adapter has already handed it the session's full
     * CONNECT, credentials included, so that every reconnect sends them). The client never resubscribes by itself: the
     * connection subscribes every filter again after each connect, whatever session-present says. Publishes of an
     * expired session are sent again so that QoS 1/2 publishes are not lost.
     */
    static void reconnect(MqttClientReconnector r, Duration delay, ClientAdapter.Callbacks callbacks) {
        r.resubscribeIfSessionExpired(false).resubscribeIfSessionPresent(false).republishIfSessionExpired(true);
        if (delay == null) {
            r.reconnect(false);
            return;
        }
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS).execute(() -> gate.complete(null));
        r.reconnect(true).delay(0, TimeUnit.MILLISECONDS).reconnectWhen(gate, (v, t) -> callbacks.reconnecting());
    }
}
