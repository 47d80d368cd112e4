package io.routemq.bench.e2e;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * N publisher connections (HiveMQ MQTT 5 client) spreading messages over a {@link TopicTree}: topic {@code i} belongs
 * to publisher {@code i % N}, which cycles through its topics and numbers each topic's messages from 0. Each publisher
 * runs on its own thread, keeps at most {@code window} publishes unconfirmed, and either publishes as fast as it can
 * or paces itself to its share of the target rate (the intended send times are kept, so a late publisher catches up).
 *
 * <p><b>Closed loop.</b> With {@code maxOutstanding > 0} the publishers together keep at most that many messages
 * published but not yet received: "as fast as possible" then measures what the receiving pipeline sustains, instead
 * of filling the broker's queue (latency = queue depth / rate) or making it drop QoS 0 messages. If nothing arrives
 * for a second while the window is full (messages lost), the window is widened by a tenth so the run goes on.
 */
final class LoadGenerator implements AutoCloseable {
    private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
    private final TopicTree tree;
    private final MqttTopic[] topics;
    private final int window;
    private final LongAdder sent = new LongAdder();

    /** What one phase published. */
    record Published(long issued, long failed, long startNanos, long startWallNanos, long endNanos, String firstError) {
        double seconds() {
            return Math.max(1, endNanos - startNanos) / 1e9;
        }
    }

    /** What one phase should publish. */
    record Plan(byte phase, int qos, int payloadBytes, long messages, Duration duration, double rate, long maxOutstanding,
                java.util.function.LongSupplier received) {
    }

    LoadGenerator(BrokerTarget broker, TopicTree tree, int publishers, int window) throws Exception {
        this.tree = tree;
        this.window = window;
        this.topics = new MqttTopic[tree.size()];
        for (int i = 0; i < topics.length; i++) topics[i] = MqttTopic.of(tree.topic(i));
        List<CompletableFuture<?>> connects = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier("routemq-bench-pub-" + p + "-" + ProcessHandle.current().pid())
                    .serverHost(broker.host()).serverPort(broker.port()).buildAsync();
            clients.add(c);
            connects.add(c.connectWith().cleanStart(true).keepAlive(60).send());
        }
        try {
            CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("publishers could not connect to " + broker.url() + ": " + e.getMessage()
                    + "; check that the broker runs and accepts anonymous clients", e);
        }
    }

    /** Messages handed to the client so far (all phases), for the progress bar. */
    long sent() {
        return sent.sum();
    }

    /** Publishes one phase and returns when every publish is confirmed (QoS 1) or written (QoS 0). */
    Published run(Plan plan) throws InterruptedException {
        int n = clients.size();
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long startWallNanos = Payloads.wallNanos() + (startNanos - System.nanoTime());
        long endBy = plan.duration() == null ? Long.MAX_VALUE : startNanos + plan.duration().toNanos();
        LongAdder issued = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong lastDone = new AtomicLong(startNanos);
        String[] firstError = new String[1];
        Outstanding outstanding = new Outstanding(plan.maxOutstanding(), plan.received());
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            int idx = p;
            long share = plan.messages() / n + (p < plan.messages() % n ? 1 : 0);
            if (plan.duration() != null) share = Long.MAX_VALUE;
            long count = share;
            threads.add(Thread.ofPlatform().name("bench-publisher-" + p).start(() -> {
                try {
                    publish(idx, n, count, endBy, startNanos, plan, issued, failed, lastDone, firstError, outstanding);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : threads) t.join();
        return new Published(issued.sum(), failed.sum(), startNanos, startWallNanos, lastDone.get(), firstError[0]);
    }

    private void publish(int p, int n, long count, long endBy, long startNanos, Plan plan, LongAdder issued, LongAdder failed,
                         AtomicLong lastDone, String[] firstError, Outstanding outstanding) throws InterruptedException {
        Mqtt5AsyncClient client = clients.get(p);
        int own = 0;
        for (int t = p; t < tree.size(); t += n) own++;
        if (own == 0) return;
        int[] mine = new int[own];
        for (int i = 0, t = p; t < tree.size(); t += n) mine[i++] = t;
        int[] seq = new int[own];
        MqttQos qos = MqttQos.fromCode(plan.qos());
        long period = plan.rate() > 0 ? (long) (1e9 * n / plan.rate()) : 0;
        Semaphore inFlight = new Semaphore(window);
        while (System.nanoTime() < startNanos) LockSupport.parkNanos(startNanos - System.nanoTime());
        int cursor = 0;
        for (long k = 0; k < count; k++) {
            if (period > 0) {
                long due = startNanos + k * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            }
            if (endBy != Long.MAX_VALUE && System.nanoTime() >= endBy) break;
            outstanding.acquire(endBy);
            inFlight.acquire();
            int local = cursor;
            cursor = cursor + 1 == own ? 0 : cursor + 1;
            int topic = mine[local];
            byte[] payload = Payloads.encode(plan.payloadBytes(), plan.phase(), p, topic, seq[local]++, Payloads.wallNanos());
            Mqtt5Publish msg = Mqtt5Publish.builder().topic(topics[topic]).qos(qos).payload(payload).build();
            issued.increment();
            sent.increment();
            client.publish(msg).whenComplete((result, error) -> {
                String err = error != null ? error.toString()
                        : result.getError().map(Throwable::toString).orElse(null);
                if (err != null) {
                    failed.increment();
                    synchronized (firstError) {
                        if (firstError[0] == null) firstError[0] = err;
                    }
                }
                lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                inFlight.release();
            });
        }
        if (!inFlight.tryAcquire(window, 60, TimeUnit.SECONDS)) {
            synchronized (firstError) {
                if (firstError[0] == null) firstError[0] = "publisher " + p + ": publishes still unconfirmed after 60 s";
            }
        }
    }

    /** The closed-loop window shared by the publishers of one phase. */
    private static final class Outstanding {
        private final long max;
        private final java.util.function.LongSupplier received;
        private final AtomicLong issued = new AtomicLong();
        private final AtomicLong slack = new AtomicLong();

        Outstanding(long max, java.util.function.LongSupplier received) {
            this.max = max;
            this.received = received;
        }

        void acquire(long endBy) {
            if (max <= 0) return;
            long mine = issued.incrementAndGet();
            long lastSeen = -1;
            long since = System.nanoTime();
            while (true) {
                long r = received.getAsLong();
                if (mine - r - slack.get() <= max) return;
                long now = System.nanoTime();
                if (now >= endBy) return;
                if (r != lastSeen) {
                    lastSeen = r;
                    since = now;
                } else if (now - since > 1_000_000_000L) {
                    slack.addAndGet(Math.max(1, max / 10)); // lost messages would hold the window forever
                    since = now;
                }
                LockSupport.parkNanos(20_000);
            }
        }
    }

    @Override
    public void close() {
        for (Mqtt5AsyncClient c : clients) {
            try {
                c.disconnect().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }
}
