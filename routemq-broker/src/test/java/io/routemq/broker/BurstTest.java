package io.routemq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Queue limits: the default config keeps a 100k QoS 1 burst for an offline session; a configured limit drops and counts. */
class BurstTest {

    @TempDir
    Path dataDir;

    /** Result of one burst. */
    record Burst(int distinct, int received, long dropped) {
    }

    static Burst burst(EmbeddedBroker broker, int messages) throws Exception {
        int port = broker.tcpPort();
        String topic = "burst/" + Mqtt.id("t");
        Mqtt5AsyncClient sub = Mqtt.v5(port).identifier(Mqtt.id("offline")).buildAsync();
        sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(30, TimeUnit.SECONDS);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send().get(30, TimeUnit.SECONDS);
        sub.disconnect().get(30, TimeUnit.SECONDS);

        Mqtt5AsyncClient pub = Mqtt.v5(port).buildAsync();
        pub.connect().get(30, TimeUnit.SECONDS);
        CompletableFuture<?>[] acks = new CompletableFuture<?>[messages];
        for (int i = 0; i < messages; i++) {
            byte[] payload = ByteBuffer.allocate(32).putInt(i).array();
            CompletableFuture<Mqtt5PublishResult> f = pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload).send();
            acks[i] = f;
        }
        CompletableFuture.allOf(acks).get(5, TimeUnit.MINUTES);
        pub.disconnect().get(30, TimeUnit.SECONDS);

        BitSet seen = new BitSet(messages);
        AtomicInteger received = new AtomicInteger();
        Mqtt5AsyncClient again = Mqtt.v5(port).identifier(sub.getConfig().getClientIdentifier().orElseThrow().toString())
                .buildAsync();
        again.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, p -> {
            int seq = ByteBuffer.wrap(p.getPayloadAsBytes()).getInt();
            synchronized (seen) {
                seen.set(seq);
            }
            received.incrementAndGet();
        });
        again.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(30, TimeUnit.SECONDS);
        // wait until nothing more arrives for 3 s (the expected count, or fewer after drops)
        int last = -1;
        long quietSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            int now = received.get();
            if (now >= messages) {
                break;
            }
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                break;
            }
            Thread.sleep(50);
        }
        again.disconnect().get(30, TimeUnit.SECONDS);
        synchronized (seen) {
            return new Burst(seen.cardinality(), received.get(), broker.stats().droppedMessages());
        }
    }

    @Test
    void defaultConfigKeeps100kQos1MessagesForAnOfflineSession() throws Exception {
        // the defaults (file persistence, default queue limit and strategy); only ports, data dir and auth set
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).dataDir(dataDir).allowAnonymous(true).build()) {
            broker.start();
            long t0 = System.nanoTime();
            Burst b = burst(broker, 100_000);
            System.out.printf("100k QoS 1 burst to an offline session: %d distinct, %d received, %d dropped, %d ms%n",
                    b.distinct(), b.received(), b.dropped(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(b.dropped()).isZero();
            assertThat(b.distinct()).isEqualTo(100_000);
        }
    }

    @Test
    void aConfiguredLimitDropsAndCountsAndLogs() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(EmbeddedBroker.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().allowAnonymous(true)
                .configure(c -> c.maxQueuedMessages(100)).build()) {
            broker.start();
            Burst b = burst(broker, 300);
            assertThat(b.distinct()).isEqualTo(100);
            assertThat(b.dropped()).isEqualTo(200);
            broker.close();
            assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("(200 in total)").contains("broker.queue.maxPerClient=100"));
        } finally {
            logger.detachAppender(appender);
        }
    }
}
