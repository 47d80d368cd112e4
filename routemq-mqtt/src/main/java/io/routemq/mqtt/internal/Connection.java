package io.routemq.mqtt.internal;

import io.routemq.core.Acknowledgement;
import io.routemq.core.Message;
import io.routemq.core.Outcome;
import io.routemq.core.TopicPattern;
import io.routemq.core.Publication;
import io.routemq.mqtt.InboundListener;
import io.routemq.mqtt.MqttException;
import io.routemq.mqtt.ProtocolVersion;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionEvent;
import io.routemq.mqtt.SessionState;
import io.routemq.mqtt.SubscriptionRefusal;
import io.routemq.mqtt.SubscriptionRefusedException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection of a session: connects, reconnects with backoff, subscribes every filter after each connect,
 * reads messages with manual acknowledgement and acknowledges each one only when its sink says so.
 *
 * <p>Flow control: the connection requests messages from the client as earlier ones finish, so at most
 * {@code maxInFlight} messages are handed on and unacknowledged at a time. The rest waits in the client (up to the
 * receive maximum, 65535 by default) and at the broker, whose own in-flight window fills because we delay acks.
 * Finished messages are requested again in batches ({@link #requestBatch}), and at once when none is in flight: a
 * request of the client's flow hands work to another thread, one per message was a tenth of the framework's CPU.
 *
 * <p>Hand-on: the client's thread offers each message to the sink ({@link InboundListener#tryAccept}), which takes it
 * when that needs no waiting (a dispatcher with room). That thread is the client's Netty event loop, or the thread
 * that requested more (see {@link InboundScheduler}: no hop to the client's application scheduler), so nothing on
 * this path may block. Otherwise the message goes to this connection's reading
 * thread, which may block in {@link InboundListener#accept}; while that thread holds messages, the ones after them go
 * there too, so they are handed on in arrival order.
 */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** A subscription on this connection. */
    static final class Entry {
        final io.routemq.mqtt.SubscriptionSpec spec;
        final String topicFilter;
        final String plainFilter;
        final TopicPattern pattern;
        final InboundListener sink;
        final CompletableFuture<Void> firstGrant = new CompletableFuture<>();
        volatile long grantedGeneration = -1;
        volatile SubscriptionRefusal refusal;

        Entry(io.routemq.mqtt.SubscriptionSpec spec, String topicFilter, InboundListener sink) {
            this.spec = spec;
            this.topicFilter = topicFilter;
            this.plainFilter = spec.filter();
            this.pattern = TopicPattern.ofFilter(plainFilter);
            this.sink = sink;
        }
    }

    private final DefaultSession session;
    private final SessionConfig config;
    final int index;
    final String clientId;
    private final ClientAdapter client;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    /** The one sink every subscription hands to (the usual case: an application's dispatcher), or null when they differ. */
    private volatile InboundListener onlySink;
    private final LinkedBlockingQueue<Incoming> queue = new LinkedBlockingQueue<>();
    /** Messages given to the reading thread and not yet handed on by it: while above 0, new ones queue behind. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Finished messages not yet requested again from the client. */
    private final AtomicInteger unrequested = new AtomicInteger();
    private final int requestBatch;
    private final Object idle = new Object();
    /**
     * Threads in {@link #awaitIdle}: the last message to finish wakes them only when there are any. Without the
     * check, every message that emptied the connection (each one, on a connection that keeps up) took the monitor to
     * notify nobody: 2.5% of the samples of a non-blocking route's consumer at QoS 0.
     */
    private volatile int idleWaiters;
    private final AtomicInteger attempt = new AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private final List<Incoming> held = new ArrayList<>();
    private final AtomicBoolean redeliveryScheduled = new AtomicBoolean();
    private volatile boolean redeliveryPending;
    private volatile Subscription upstream;
    private volatile SessionState state = SessionState.NEW;
    private volatile boolean accepting = true;
    private volatile boolean stopping;
    private volatile boolean started;
    private Thread reader;

    Connection(DefaultSession session, int index) {
        this.session = session;
        this.config = session.config();
        this.index = index;
        String base = config.clientId() != null ? config.clientId()
                : "routemq-" + config.name().replaceAll("[^A-Za-z0-9_-]", "") + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        this.clientId = index == 0 ? base : base + "-" + (index + 1);
        this.requestBatch = Math.max(1, Math.min(256, config.maxInFlight() / 4));
        ClientAdapter.Callbacks callbacks = new ClientAdapter.Callbacks() {
            @Override
            public void connected(boolean sessionPresent) {
                onConnected(sessionPresent);
            }

            @Override
            public Duration disconnected(Throwable cause, boolean byUser) {
                return onDisconnected(cause, byUser);
            }

            @Override
            public void reconnecting() {
                onReconnecting();
            }
        };
        this.client = config.protocolVersion() == ProtocolVersion.MQTT_5
                ? new Mqtt5Adapter(config, clientId, callbacks) : new Mqtt3Adapter(config, clientId, callbacks);
    }

    SessionState state() {
        return state;
    }

    int inFlight() {
        return inFlight.get();
    }

    List<SubscriptionRefusal> refusals() {
        List<SubscriptionRefusal> out = new ArrayList<>();
        for (Entry e : entries) {
            SubscriptionRefusal r = e.refusal;
            if (r != null) out.add(r);
        }
        return out;
    }

    /** Starts reading and connecting. */
    synchronized void start() {
        if (started) return;
        started = true;
        client.incoming().subscribe(new Reader());
        reader = Thread.ofVirtual().name("routemq-mqtt-" + config.name() + "-" + index).start(this::readLoop);
        setState(SessionState.CONNECTING);
        session.event(SessionEvent.Type.CONNECTING, index, 0, null, null, "client " + clientId + " to " + config.url());
        client.connect().whenComplete((present, err) -> {
            if (err != null) log.debug("session '{}' connection {}: first connect failed: {}", config.name(), index, err.toString());
        });
    }

    /** Adds a subscription; subscribes now when connected. */
    void add(Entry e) {
        entries.add(e);
        InboundListener only = e.sink;
        for (Entry other : entries) if (other.sink != only) only = null;
        onlySink = only;
        SessionState s = state;
        if (s == SessionState.CONNECTED || s == SessionState.READY) {
            long gen = generation.get();
            setState(SessionState.CONNECTED);
            subscribe(e, gen);
        }
    }

    /**
     * Drops the subscriptions of {@code spec}: no longer subscribed after a reconnect, and unsubscribed now when
     * connected. A message of the filter still on its way goes to the first remaining subscription's sink.
     */
    CompletableFuture<Void> remove(io.routemq.mqtt.SubscriptionSpec spec) {
        List<Entry> gone = new java.util.ArrayList<>();
        for (Entry e : entries) if (e.spec.equals(spec)) gone.add(e);
        if (gone.isEmpty()) return CompletableFuture.completedFuture(null);
        entries.removeAll(gone);
        InboundListener only = entries.isEmpty() ? null : entries.get(0).sink;
        for (Entry other : entries) if (other.sink != only) only = null;
        onlySink = only;
        SessionState s = state;
        if (s != SessionState.CONNECTED && s != SessionState.READY) return CompletableFuture.completedFuture(null);
        recomputeReady(generation.get()); // a refused filter dropped: the others may all be granted
        return client.unsubscribe(gone.get(0).topicFilter);
    }

    CompletableFuture<Void> publish(Publication p) {
        return client.publish(p);
    }

    // ---- lifecycle callbacks (client threads) ----

    private void onConnected(boolean sessionPresent) {
        long gen = generation.incrementAndGet();
        attempt.set(0);
        redeliveryScheduled.set(false);
        session.connected();
        setState(SessionState.CONNECTED);
        session.event(SessionEvent.Type.CONNECTED, index, 0, null, null, "client " + clientId + ", sessionPresent=" + sessionPresent);
        log.info("session '{}' connected to {} (client {}, session present: {}); subscribing {} filter(s)", config.name(), config.url(),
                clientId, sessionPresent, entries.size());
        if (entries.isEmpty()) {
            setState(SessionState.READY);
            return;
        }
        // Always subscribe again, whatever session-present says: a broker may have lost the session state.
        for (Entry e : entries) subscribe(e, gen);
    }

    private void subscribe(Entry e, long gen) {
        client.subscribe(e.topicFilter, e.spec).whenComplete((r, err) -> {
            if (gen != generation.get()) return;
            if (err != null) {
                log.warn("session '{}' ({}): subscribe '{}' failed: {}; it is retried after the next reconnect", config.name(), config.url(),
                        e.topicFilter, Errors.unwrap(err).toString());
                return;
            }
            if (r.granted()) {
                e.refusal = null;
                e.grantedGeneration = gen;
                e.firstGrant.complete(null);
            } else {
                SubscriptionRefusal refusal = new SubscriptionRefusal(e.topicFilter, r.code(), r.reason());
                e.refusal = refusal;
                SubscriptionRefusedException ex = new SubscriptionRefusedException(config.name(), config.url(), refusal);
                log.error("session '{}' ({}): the broker refused subscription '{}': {} (reason code 0x{}); the session is not ready",
                        config.name(), config.url(), e.topicFilter, r.reason(), Integer.toHexString(r.code()));
                session.subscriptionRefused(ex, index);
                if (!e.firstGrant.isDone()) e.firstGrant.completeExceptionally(ex);
            }
            recomputeReady(gen);
        });
    }

    private void recomputeReady(long gen) {
        if (gen != generation.get()) return;
        SessionState s = state;
        if (s != SessionState.CONNECTED && s != SessionState.READY) return;
        boolean all = true;
        for (Entry e : entries) all &= e.grantedGeneration == gen;
        setState(all ? SessionState.READY : SessionState.CONNECTED);
    }

    private Duration onDisconnected(Throwable cause, boolean byUser) {
        generation.incrementAndGet();
        releaseHeld();
        boolean redeliver = redeliveryPending;
        redeliveryPending = false;
        MqttException error = byUser ? null : Errors.map(cause, config.name(), config.url());
        session.disconnected(error);
        if (stopping) {
            setState(SessionState.STOPPED);
            session.event(SessionEvent.Type.DISCONNECTED, index, 0, null, error, byUser ? "disconnected by the application" : null);
            return null;
        }
        if (byUser && !redeliver) {
            setState(SessionState.DISCONNECTED);
            session.event(SessionEvent.Type.DISCONNECTED, index, 0, null, null, "disconnected by the application");
            return null;
        }
        int n = attempt.incrementAndGet();
        Duration delay = redeliver ? Duration.ofMillis(100) : config.reconnect().delay(n, () -> ThreadLocalRandom.current().nextDouble());
        setState(SessionState.RECONNECTING);
        session.event(SessionEvent.Type.DISCONNECTED, index, 0, null, error, redeliver ? "reconnecting so that the broker redelivers" : null);
        session.event(SessionEvent.Type.RECONNECTING, index, n, delay, error, null);
        if (error != null) {
            log.warn("session '{}' connection {}: {}; reconnecting in {} ms (attempt {})", config.name(), index, error.getMessage(),
                    delay.toMillis(), n);
        }
        return delay;
    }

    private void onReconnecting() {
        if (stopping) return;
        setState(SessionState.CONNECTING);
        session.event(SessionEvent.Type.CONNECTING, index, attempt.get(), null, null, "client " + clientId + " to " + config.url());
    }

    private void setState(SessionState s) {
        if (state == s) return;
        if (state == SessionState.STOPPED && s != SessionState.CONNECTING) return;
        state = s;
        session.connectionStateChanged();
    }

    // ---- reading ----

    private final class Reader implements Subscriber<Incoming> {
        @Override
        public void onSubscribe(Subscription s) {
            upstream = s;
            unrequested.set(0);
            int room = config.maxInFlight() - inFlight.get() - queue.size();
            if (room > 0) s.request(room);
        }

        @Override
        public void onNext(Incoming in) {
            if (queued.get() == 0 && accepting && handOn(in, false) == TAKEN) return;
            queued.incrementAndGet();
            queue.add(in);
        }

        @Override
        public void onError(Throwable t) {
            if (stopping) return;
            if (t instanceof com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException) {
                // A clean session ended with the connection: the client ends its message streams. Open a new one.
                log.debug("session '{}' connection {}: session ended ({}); re-opening the message stream", config.name(), index, t.getMessage());
            } else {
                log.error("session '{}' connection {}: the client's message stream failed: {}", config.name(), index, t.toString(), t);
            }
            restartStream();
        }

        @Override
        public void onComplete() {
            restartStream();
        }
    }

    private void restartStream() {
        if (stopping) return;
        client.incoming().subscribe(new Reader());
    }

    private void readLoop() {
        while (true) {
            Incoming in;
            try {
                in = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (in == null) {
                if (stopping && queue.isEmpty()) return;
                continue;
            }
            try {
                // shutting down: not handed on, not acknowledged; the broker keeps it
                if (accepting && handOn(in, true) == INTERRUPTED) return;
            } finally {
                queued.decrementAndGet();
            }
        }
    }

    private static final int TAKEN = 1;
    private static final int NOT_TAKEN = 0;
    private static final int INTERRUPTED = -1;

    /**
     * Hands one message to its sink: on the reading thread ({@code wait}, {@link InboundListener#accept}, which may
     * block), or on the client's thread ({@link InboundListener#tryAccept}). A message no subscription matches, or that
     * the sink throws on, is completed here.
     *
     * @return TAKEN (or completed here), NOT_TAKEN (only without {@code wait}: the sink has no room now), or
     *         INTERRUPTED
     */
    private int handOn(Incoming in, boolean wait) {
        InboundListener sink = sinkFor(in.topic());
        Ack ack = new Ack(in);
        inFlight.incrementAndGet();
        if (sink == null) {
            session.received();
            log.debug("session '{}': no subscription matches topic '{}'; acknowledged", config.name(), in.topic());
            ack.complete(Outcome.UNMATCHED);
            return TAKEN;
        }
        Message m = new Message(config.name(), in.topic(), in.payload(), in.qos(), in.retain(), in.properties());
        try {
            if (wait) {
                session.received();
                sink.accept(m, ack);
            } else if (sink.tryAccept(m, ack)) {
                session.received();
            } else {
                finished(); // not taken: the reading thread hands it on, with a new Ack
                return NOT_TAKEN;
            }
        } catch (InterruptedException e) {
            ack.complete(Outcome.REJECTED);
            return INTERRUPTED;
        } catch (RuntimeException e) {
            if (!wait) session.received();
            log.error("session '{}': the message sink threw on topic '{}': {}; the message is not acknowledged", config.name(),
                    in.topic(), e.toString(), e);
            ack.complete(Outcome.REJECTED);
        }
        return TAKEN;
    }

    private InboundListener sinkFor(String topic) {
        InboundListener only = onlySink;
        if (only != null) return only; // no per-message match: whichever filter matched, the message goes there
        InboundListener first = null;
        for (Entry e : entries) {
            if (first == null) first = e.sink;
            if (e.pattern.matches(topic)) return e.sink;
        }
        return first; // e.g. a message a persistent session kept for a filter no longer subscribed
    }

    /** Completes one message: acknowledges it, or holds it back so that the broker redelivers it. */
    private final class Ack extends AtomicBoolean implements Acknowledgement {
        private static final long serialVersionUID = 1L;
        private final transient Incoming in;

        Ack(Incoming in) {
            this.in = in;
        }

        @Override
        public void complete(Outcome outcome) {
            if (!compareAndSet(false, true)) return;
            if (outcome.acknowledge()) {
                in.ack().run();
                session.acknowledged();
            } else {
                session.notAcknowledged();
                if (in.qos() > 0) hold(in);
            }
            boolean none = finished();
            // Request it again: in batches, or now when nothing else is in flight (no later completion would).
            int n = unrequested.incrementAndGet();
            if (n >= requestBatch || none) {
                n = unrequested.getAndSet(0);
                Subscription s = upstream;
                if (n > 0 && s != null) s.request(n);
            }
        }
    }

    /** One message less in flight; true when none is left. */
    private boolean finished() {
        if (inFlight.decrementAndGet() != 0) return false;
        // a waiter counts itself before it reads inFlight: it either sees 0 here, or is seen and woken
        if (idleWaiters > 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
        return true;
    }

    /**
     * A rejected QoS 1/2 message: MQTT only redelivers after a reconnect, and the client sends acks in order, so
     * an unacknowledged message would hold back the acks behind it. Reconnect soon; on disconnect the held messages
     * are released in the client (no ack reaches the broker), which then redelivers them.
     */
    private void hold(Incoming in) {
        synchronized (held) {
            held.add(in);
        }
        if (stopping || !accepting) return;
        if (redeliveryScheduled.compareAndSet(false, true)) {
            log.info("session '{}' connection {}: a message was not processed (rejected); reconnecting in 1s so that the broker"
                    + " redelivers it", config.name(), index);
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
                if (stopping) return;
                redeliveryPending = true;
                client.disconnect();
            });
        }
    }

    private void releaseHeld() {
        List<Incoming> copy;
        synchronized (held) {
            copy = new ArrayList<>(held);
            held.clear();
        }
        for (Incoming in : copy) in.ack().run(); // the connection is gone: this only clears the client's queue
    }

    // ---- stopping ----

    /** Stops handing on messages. */
    void pause() {
        accepting = false;
    }

    /** Waits until no message is in flight. */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        synchronized (idle) {
            idleWaiters++;
            try {
                while (inFlight.get() > 0) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) return false;
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                }
            } finally {
                idleWaiters--;
            }
        }
        return true;
    }

    /** Disconnects cleanly and stops reconnecting. */
    CompletableFuture<Void> stop() {
        accepting = false;
        stopping = true;
        CompletableFuture<Void> f;
        if (!started) {
            f = CompletableFuture.completedFuture(null);
        } else {
            f = client.disconnect().exceptionally(t -> null);
        }
        return f.whenComplete((v, t) -> {
            setState(SessionState.STOPPED);
            Thread r = reader;
            if (r != null) r.interrupt();
        });
    }
}
