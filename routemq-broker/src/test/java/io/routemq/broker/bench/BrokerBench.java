package io.routemq.broker.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.routemq.broker.BrokerConfig;
import io.routemq.broker.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small end-to-end bench of the embedded broker (no JMH): start-to-ready time, then QoS 0 and QoS 1 throughput with
 * one HiveMQ-client publisher and one subscriber, 32-byte payloads.
 *
 * <pre>
 * java -cp TEST_CLASSPATH io.routemq.broker.bench.BrokerBench [file|memory] [qos0Count] [qos1Count] [starts] [serverReceiveMaximum]
 * </pre>
 */
public final class BrokerBench {

    private BrokerBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "file";
        int qos0 = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int qos1 = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int starts = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int receiveMaximum = args.length > 4 ? Integer.parseInt(args[4]) : BrokerConfig.DEFAULT_SERVER_RECEIVE_MAXIMUM;
        System.out.printf("BrokerBench: persistence=%s, serverReceiveMaximum=%d, cores=%d, java=%s%n", mode, receiveMaximum,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        Path data = Files.createTempDirectory("routemq-bench-");
        for (int i = 1; i <= starts; i++) {
            long t0 = System.nanoTime();
            EmbeddedBroker b = broker(mode, data.resolve("start" + i), receiveMaximum);
            b.start();
            long ready = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            b.close();
            System.out.printf("start %d: start-to-ready %d ms, stop %d ms%n", i, ms(ready), ms(System.nanoTime() - t1));
        }

        try (EmbeddedBroker broker = broker(mode, data.resolve("run"), receiveMaximum)) {
            broker.start();
            run(broker.tcpPort(), MqttQos.AT_MOST_ONCE, Math.min(20_000, qos0), true);   // warm-up
            run(broker.tcpPort(), MqttQos.AT_LEAST_ONCE, Math.min(20_000, qos1), true);
            run(broker.tcpPort(), MqttQos.AT_MOST_ONCE, qos0, false);
            run(broker.tcpPort(), MqttQos.AT_LEAST_ONCE, qos1, false);
            System.out.printf("broker dropped %d messages%n", broker.stats().droppedMessages());
        }
    }

    private static EmbeddedBroker broker(String mode, Path dir, int receiveMaximum) {
        BrokerConfig.Builder c = BrokerConfig.builder().port(0).allowAnonymous(true).serverReceiveMaximum(receiveMaximum);
        if (mode.equals("memory")) {
            c.inMemory();
        } else {
            c.dataDir(dir);
        }
        return EmbeddedBroker.create(c.build());
    }

    private static void run(int port, MqttQos qos, int n, boolean warmup) throws Exception {
        String topic = "bench/" + qos.getCode() + "/" + System.nanoTime();
        BitSet seen = new BitSet(n);
        AtomicInteger received = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong lastReceived = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        Mqtt5AsyncClient sub = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port)
                .identifier("bench-sub-" + System.nanoTime()).buildAsync();
        sub.publishes(MqttGlobalPublishFilter.ALL, p -> {
            int seq = ByteBuffer.wrap(p.getPayloadAsBytes()).getInt();
            synchronized (seen) {
                seen.set(seq);
            }
            lastReceived.set(System.nanoTime());
            if (received.incrementAndGet() == n) {
                done.complete(System.nanoTime());
            }
        });
        sub.connect().get(30, TimeUnit.SECONDS);
        sub.subscribeWith().topicFilter(topic).qos(qos).send().get(30, TimeUnit.SECONDS);

        Mqtt5AsyncClient pub = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port)
                .identifier("bench-pub-" + System.nanoTime()).buildAsync();
        pub.connect().get(30, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        CompletableFuture<?> last = null;
        for (int i = 0; i < n; i++) {
            byte[] payload = ByteBuffer.allocate(32).putInt(i).array();
            last = pub.publishWith().topic(topic).qos(qos).payload(payload).send();
        }
        last.get(5, TimeUnit.MINUTES);
        long published = System.nanoTime() - t0;
        long end;
        try {
            end = done.get(qos == MqttQos.AT_MOST_ONCE ? 10 : 300, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            end = lastReceived.get(); // some were dropped: rate up to the last one received
        }
        int got;
        synchronized (seen) {
            got = seen.cardinality();
        }
        if (!warmup) {
            double secs = (end - t0) / 1e9;
            System.out.printf("QoS %d: %d msgs, 32 B, publish %.0f msg/s, end-to-end %.0f msg/s (%d ms), received %d (%d lost)%n",
                    qos.getCode(), n, n / (published / 1e9), got / secs, ms(end - t0), got, n - got);
        }
        pub.disconnect().get(30, TimeUnit.SECONDS);
        sub.disconnect().get(30, TimeUnit.SECONDS);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
