package io.routemq.server.gateway;

import io.routemq.core.sink.Envelope;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.FsyncPolicy;
import io.routemq.queue.QueueConfig;
import io.routemq.queue.QueueStore;
import io.routemq.sink.http.Batch;
import io.routemq.sink.http.HttpSink;
import io.routemq.sink.http.HttpSinkConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery worker with several batches in flight ({@link HttpSink} batched, {@code maxInFlight} > 1) against a
 * real HTTP receiver that answers after a random delay: every topic's messages arrive in order and none is lost, a
 * stop without drain commits only what was delivered (the watermark) and a restart delivers the rest, and retries and
 * dead letters keep per-topic order.
 */
class DeliveryWorkerConcurrencyTest {

    private static final int MESSAGES = 3000;
    private static final int TOPICS = 150;
    private static final int BATCH = 10;
    private static final int IN_FLIGHT = 8;
    /** The payload embedded in each envelope of a batch body: {@code {"k":<topic number>,"n":<sequence>}}. */
    private static final Pattern ITEM = Pattern.compile("\"payload\":\\{\"k\":(\\d+),\"n\":(\\d+)}");
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(20), 2.0, 0.2, Duration.ZERO);

    @TempDir
    Path dir;

    private TestReceiver receiver;
    private QueueStore store;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    /** One message as the receiver accepted it. */
    private record Item(int topic, long seq) {
    }

    @BeforeEach
    void setUp() throws Exception {
        receiver = TestReceiver.start("concurrent");
        store = openStore();
    }

    @AfterEach
    void tearDown() {
        if (store != null) store.close();
        receiver.close();
    }

    private QueueStore openStore() {
        return QueueStore.open(QueueConfig.builder(dir.resolve("queue")).fsync(FsyncPolicy.never()).build());
    }

    private HttpSink sink() {
        return new HttpSink(HttpSinkConfig.builder("concurrent").urls(List.of(URI.create(receiver.url("/in"))))
                .batch(new Batch(BATCH, Duration.ofMillis(2))).maxInFlight(IN_FLIGHT).build());
    }

    /** Appends MESSAGES envelopes, sequence n at offset n, on topics picked at random (seeded) among TOPICS. */
    private static void fill(DurableQueue q) throws Exception {
        Random rnd = new Random(11);
        fill(q, n -> rnd.nextInt(TOPICS));
    }

    /** Appends MESSAGES envelopes, sequence n at offset n, on topic {@code dev/<topicOf(n)>/data}. */
    private static void fill(DurableQueue q, IntUnaryOperator topicOf) throws Exception {
        List<byte[]> records = new ArrayList<>(MESSAGES);
        for (int n = 0; n < MESSAGES; n++) {
            int k = topicOf.applyAsInt(n);
            byte[] payload = ("{\"k\":" + k + ",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            records.add(new Envelope("r", "s", "dev/" + k + "/data", Map.of(), payload, 1, false, List.of(), null,
                    System.currentTimeMillis()).encode());
        }
        List<Long> offsets = q.appendAll(records).get();
        assertThat(offsets.get(0)).isZero();
    }

    /** Answers 200 after 0-15 ms (or what {@code status} says), counting the requests open at once. */
    private void slowReceiver(TestReceiver.Responder status) {
        receiver.responder((n, path, body) -> {
            int open = current.incrementAndGet();
            mostAtOnce.accumulateAndGet(open, Math::max);
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(16));
                return status.status(n, path, body);
            } finally {
                current.decrementAndGet();
            }
        });
    }

    private List<Item> accepted() {
        List<Item> out = new ArrayList<>();
        for (TestReceiver.Request r : receiver.accepted()) {
            Matcher m = ITEM.matcher(r.text());
            while (m.find()) out.add(new Item(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
        }
        return out;
    }

    /** Per topic, the sequence numbers in the order the receiver accepted them must only grow. */
    private static void assertOrdered(List<Item> items) {
        Map<Integer, Long> last = new HashMap<>();
        for (Item it : items) {
            Long before = last.put(it.topic(), it.seq());
            assertThat(before == null || before < it.seq())
                    .as("topic %d: message %d arrived after %d", it.topic(), it.seq(), before).isTrue();
        }
    }

    private static Set<Long> seqs(List<Item> items) {
        Set<Long> s = new HashSet<>();
        for (Item it : items) s.add(it.seq());
        return s;
    }

    @Test
    void severalBatchesInFlightKeepEveryTopicInOrderAndLoseNothing() throws Exception {
        slowReceiver((n, path, body) -> 200);
        DurableQueue q = store.queue("concurrent");
        fill(q);
        deliverAll(q, null);
        List<Item> items = accepted();
        assertOrdered(items);
        assertThat(items).hasSize(MESSAGES);
        assertThat(seqs(items)).hasSize(MESSAGES);
        assertThat(mostAtOnce.get()).as("requests in flight at once").isGreaterThan(1).isLessThanOrEqualTo(IN_FLIGHT);
    }

    @Test
    void stopWithoutDrainCommitsOnlyWhatWasDeliveredAndARestartDeliversTheRest() throws Exception {
        // The batch holding message 100 (offsets 100-109) fails until the stop, while the later batches of other
        // topics are delivered (topics go round, so the next 14 batches hold none of its topics).
        slowReceiver((n, path, body) -> new String(body, StandardCharsets.UTF_8).contains("\"n\":100}") ? 503 : 200);
        DurableQueue q = store.queue("concurrent");
        fill(q, n -> n % TOPICS);
        DeliveryWorker w = DeliveryWorker.start(sink(), q, FAST_RETRY, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> seqs(accepted()).contains(200L));
        assertThat(w.stop(false, Duration.ofSeconds(10))).isTrue();
        long committed = q.committedOffset();
        List<Item> first = accepted();
        int firstRequests = receiver.accepted().size();
        Set<Long> delivered = seqs(first);
        assertOrdered(first);
        assertThat(delivered).doesNotContain(100L);
        assertThat(committed).as("the watermark stays below the unfinished batch").isLessThan(100);
        for (long n = 0; n <= committed; n++) {
            assertThat(delivered).as("offset %d is committed, so it must have been delivered", n).contains(n);
        }

        store.close(); // the committed offset is persisted; what is above it is delivered again after the restart
        slowReceiver((n, path, body) -> 200);
        store = openStore();
        DurableQueue again = store.queue("concurrent");
        assertThat(again.committedOffset()).isEqualTo(committed);
        deliverAll(again, null);
        List<Item> all = accepted();
        assertThat(seqs(all)).as("at-least-once: every message arrived").hasSize(MESSAGES);
        assertOrdered(all.subList(itemsIn(firstRequests), all.size()));
    }

    /** Runs a worker until the whole queue is committed, then stops it with a drain. */
    private void deliverAll(DurableQueue q, SinkListener listener) throws InterruptedException {
        DeliveryWorker w = DeliveryWorker.start(sink(), q, FAST_RETRY, listener);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> q.committedOffset() == MESSAGES - 1 || w.failure() != null);
            assertThat(w.failure()).isNull();
            assertThat(w.stop(true, Duration.ofSeconds(10))).isTrue();
        } finally {
            w.close();
        }
    }

    /** How many items the first {@code requests} accepted requests carried. */
    private int itemsIn(int requests) {
        int count = 0;
        List<TestReceiver.Request> rs = receiver.accepted();
        for (int i = 0; i < requests; i++) {
            Matcher m = ITEM.matcher(rs.get(i).text());
            while (m.find()) count++;
        }
        return count;
    }

    @Test
    void retriesAndDeadLettersKeepEveryTopicInOrder() throws Exception {
        Random refusals = new Random(5);
        Object dice = new Object();
        // Every 4th request or so fails with 503 (retried); the batch holding message 777 is refused for good (400).
        slowReceiver((n, path, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.contains("\"n\":777}")) return 400;
            synchronized (dice) {
                return refusals.nextInt(4) == 0 ? 503 : 200;
            }
        });
        AtomicInteger retried = new AtomicInteger();
        SinkListener listener = new SinkListener() {
            @Override
            public void retried(String sink, String error) {
                retried.incrementAndGet();
            }
        };
        DurableQueue q = store.queue("concurrent");
        fill(q);
        deliverAll(q, listener);
        List<Item> items = accepted();
        assertOrdered(items);
        long deadLettered = q.deadLetters().size();
        assertThat(deadLettered).as("the refused batch, record by record").isBetween(1L, (long) BATCH);
        assertThat(seqs(items)).doesNotContain(777L).hasSize(MESSAGES - (int) deadLettered);
        assertThat(items).hasSize(MESSAGES - (int) deadLettered);
        assertThat(retried.get()).isPositive();
        assertThat(mostAtOnce.get()).isGreaterThan(1);
    }
}
