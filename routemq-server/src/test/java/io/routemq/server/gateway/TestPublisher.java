package io.routemq.server.gateway;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A real MQTT 5 publisher (HiveMQ client) that publishes at QoS 1 and counts the broker's PUBACKs. */
final class TestPublisher implements AutoCloseable {
    private final Mqtt5AsyncClient client;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private TestPublisher(Mqtt5AsyncClient client) {
        this.client = client;
    }

    static TestPublisher connect(int port, String clientId) throws Exception {
        Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        c.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
        return new TestPublisher(c);
    }

    /** Publishes at QoS 1; the future completes with the broker's PUBACK. */
    CompletableFuture<Mqtt5PublishResult> publish(String topic, byte[] payload) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                .whenComplete((r, e) -> {
                    if (e != null || r.getError().isPresent()) failed.incrementAndGet();
                    else acked.incrementAndGet();
                });
    }

    CompletableFuture<Mqtt5PublishResult> publish(String topic, String payload) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Publishes {@code count} messages {@code {"seq":i}} (i from {@code from}) and waits for every PUBACK. */
    void publishSeqs(String topic, long from, long count) throws Exception {
        List<CompletableFuture<Mqtt5PublishResult>> all = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            all.add(publish(topic, "{\"seq\":" + i + "}"));
            if (all.size() >= 2000) {
                awaitAll(all);
                all.clear();
            }
        }
        awaitAll(all);
    }

    static void awaitAll(List<? extends CompletableFuture<?>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    long acked() {
        return acked.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already gone
        }
    }
}
