package io.routemq.mqtt.internal;

import io.routemq.core.Publication;
import io.routemq.mqtt.ConnectTimeoutException;
import io.routemq.mqtt.InboundListener;
import io.routemq.mqtt.MqttException;
import io.routemq.mqtt.MqttSession;
import io.routemq.mqtt.PublishException;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionEvent;
import io.routemq.mqtt.SessionState;
import io.routemq.mqtt.SessionStats;
import io.routemq.mqtt.SessionStatus;
import io.routemq.mqtt.SubscriptionRefusal;
import io.routemq.mqtt.SubscriptionRefusedException;
import io.routemq.mqtt.SubscriptionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** A session: one connection, plus one per extra shared-subscription worker. */
public final class DefaultSession implements MqttSession {
    private static final Logger log = LoggerFactory.getLogger(DefaultSession.class);

    private final SessionConfig config;
    private final Consumer<SessionEvent> events;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile boolean started;
    private volatile SessionState state = SessionState.NEW;
    private volatile Instant since = Instant.now();
    private volatile MqttException lastError;
    private final LongAdder received = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder notAcknowledged = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder reconnectAttempts = new LongAdder();
    private final LongAdder refusedCount = new LongAdder();

    /**
     * @param events receives every event of this session (the manager fans them out to listeners)
     */
    public DefaultSession(SessionConfig config, Consumer<SessionEvent> events) {
        this.config = Objects.requireNonNull(config, "config");
        this.events = events;
        connections.add(new Connection(this, 0));
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public SessionConfig config() {
        return config;
    }

    @Override
    public SessionStatus status() {
        int ready = 0;
        List<SubscriptionRefusal> refused = new ArrayList<>();
        long inFlight = 0;
        for (Connection c : connections) {
            if (c.state() == SessionState.READY) ready++;
            refused.addAll(c.refusals());
            inFlight += c.inFlight();
        }
        SessionStats stats = new SessionStats(received.sum(), acknowledged.sum(), notAcknowledged.sum(), inFlight, published.sum(),
                publishFailures.sum(), connects.sum(), disconnects.sum(), reconnectAttempts.sum(), refusedCount.sum());
        return new SessionStatus(config.name(), config.url(), state, connections.size(), ready, lastError, refused, since, stats);
    }

    @Override
    public CompletableFuture<Void> subscribe(SubscriptionSpec spec, InboundListener sink) {
        Objects.requireNonNull(spec, "subscription");
        Objects.requireNonNull(sink, "sink");
        int n = spec.shared() ? spec.workers() : 1;
        String topicFilter = spec.topicFilter(config.sharePrefix());
        List<CompletableFuture<Void>> grants = new ArrayList<>();
        synchronized (lock) {
            while (connections.size() < n) {
                Connection c = new Connection(this, connections.size());
                connections.add(c);
                if (started) c.start();
            }
            for (int i = 0; i < n; i++) {
                Connection.Entry e = new Connection.Entry(spec, topicFilter, sink);
                grants.add(e.firstGrant);
                connections.get(i).add(e);
            }
        }
        connectionStateChanged();
        return CompletableFuture.allOf(grants.toArray(new CompletableFuture[0]));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(SubscriptionSpec spec) {
        Objects.requireNonNull(spec, "subscription");
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (lock) {
            for (Connection c : connections) done.add(c.remove(spec));
        }
        connectionStateChanged();
        return CompletableFuture.allOf(done.toArray(new CompletableFuture[0]));
    }

    @Override
    public CompletableFuture<Void> publish(Publication publication) {
        if (!started) {
            return CompletableFuture.failedFuture(new PublishException(config.name(), config.url(), "cannot publish to '"
                    + publication.topic() + "': session '" + config.name() + "' is not connected; call connect() first", null));
        }
        if (state == SessionState.STOPPED) {
            return CompletableFuture.failedFuture(new PublishException(config.name(), config.url(), "cannot publish to '"
                    + publication.topic() + "': session '" + config.name() + "' is stopped", null));
        }
        CompletableFuture<Void> out = new CompletableFuture<>();
        connections.get(0).publish(publication).whenComplete((v, err) -> {
            if (err == null) {
                published.increment();
                out.complete(null);
            } else {
                publishFailures.increment();
                Throwable t = Errors.unwrap(err);
                out.completeExceptionally(new PublishException(config.name(), config.url(), "publish to '" + publication.topic()
                        + "' (qos " + publication.qos() + ") on session '" + config.name() + "' (" + config.url() + ") failed: " + t, t));
            }
        });
        return out;
    }

    @Override
    public void connect() {
        synchronized (lock) {
            if (started) return;
            started = true;
            for (Connection c : connections) c.start();
        }
    }

    @Override
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state != SessionState.READY) {
                MqttException err = lastError;
                boolean anyUp = false;
                boolean allUp = true;
                for (Connection c : connections) {
                    boolean up = c.state() == SessionState.CONNECTED || c.state() == SessionState.READY;
                    anyUp |= up;
                    allUp &= up;
                }
                if (err != null && !anyUp && Errors.permanent(err)) throw err;
                if (allUp) {
                    for (Connection c : connections) {
                        List<SubscriptionRefusal> r = c.refusals();
                        if (!r.isEmpty()) throw new SubscriptionRefusedException(config.name(), config.url(), r.get(0));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ConnectTimeoutException(config.name(), config.url(), "session '" + config.name() + "' (" + config.url()
                            + ") is not ready after " + timeout.toMillis() + " ms; state " + state
                            + (err != null ? "; last error: " + err.getMessage() : ""), err);
                }
                TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        }
    }

    @Override
    public boolean disconnect(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Connection c : connections) c.pause();
        boolean idle = true;
        for (Connection c : connections) idle &= c.awaitIdle(deadline);
        if (!idle) {
            log.warn("session '{}': {} message(s) still in flight after {} ms; disconnecting anyway (the broker redelivers them)",
                    config.name(), status().stats().inFlight(), timeout.toMillis());
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Connection c : connections) stops.add(c.stop());
        try {
            long left = Math.max(1, deadline - System.nanoTime());
            CompletableFuture.allOf(stops.toArray(new CompletableFuture[0])).get(Math.max(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("session '{}': clean disconnect did not finish: {}", config.name(), e.toString());
        }
        return idle;
    }

    // ---- from connections ----

    void event(SessionEvent.Type type, int connection, int attempt, Duration delay, MqttException cause, String detail) {
        if (type == SessionEvent.Type.RECONNECTING) reconnectAttempts.increment();
        emit(new SessionEvent(type, config.name(), connection, Instant.now(), state, null, attempt, delay, cause, detail));
    }

    private void emit(SessionEvent e) {
        if (log.isDebugEnabled()) log.debug("{}", e);
        if (events != null) events.accept(e);
    }

    void connected() {
        connects.increment();
        lastError = null;
    }

    void disconnected(MqttException error) {
        disconnects.increment();
        if (error != null) lastError = error;
    }

    void subscriptionRefused(SubscriptionRefusedException e, int connection) {
        refusedCount.increment();
        emit(new SessionEvent(SessionEvent.Type.SUBSCRIPTION_REFUSED, config.name(), connection, Instant.now(), state, null, 0, null, e,
                "filter '" + e.refusal().filter() + "': " + e.refusal().reason()));
    }

    void received() {
        received.increment();
    }

    void acknowledged() {
        acknowledged.increment();
    }

    void notAcknowledged() {
        notAcknowledged.increment();
    }

    void connectionStateChanged() {
        SessionState old;
        SessionState now;
        synchronized (lock) {
            now = aggregate();
            old = state;
            if (old == now) return;
            state = now;
            since = Instant.now();
            lock.notifyAll();
        }
        if (now == SessionState.READY || old == SessionState.READY || now == SessionState.STOPPED) {
            log.info("session '{}' state {} -> {}", config.name(), old, now);
        } else {
            log.debug("session '{}' state {} -> {}", config.name(), old, now);
        }
        emit(new SessionEvent(SessionEvent.Type.STATE_CHANGED, config.name(), 0, Instant.now(), now, old, 0, null, null, null));
        if (now == SessionState.READY) {
            emit(new SessionEvent(SessionEvent.Type.READY, config.name(), 0, Instant.now(), now, null, 0, null, null, null));
        }
    }

    private SessionState aggregate() {
        boolean allReady = true;
        boolean allStopped = true;
        boolean allNew = true;
        boolean anyReconnecting = false;
        boolean anyConnecting = false;
        boolean anyUp = false;
        for (Connection c : connections) {
            SessionState s = c.state();
            allReady &= s == SessionState.READY;
            allStopped &= s == SessionState.STOPPED;
            allNew &= s == SessionState.NEW;
            anyReconnecting |= s == SessionState.RECONNECTING;
            anyConnecting |= s == SessionState.CONNECTING;
            anyUp |= s == SessionState.CONNECTED || s == SessionState.READY;
        }
        if (allReady) return SessionState.READY;
        if (allStopped) return SessionState.STOPPED;
        if (allNew) return SessionState.NEW;
        if (anyReconnecting) return SessionState.RECONNECTING;
        if (anyConnecting) return SessionState.CONNECTING;
        if (anyUp) return SessionState.CONNECTED;
        return SessionState.DISCONNECTED;
    }

    @Override
    public String toString() {
        return "MqttSession[" + config.name() + " " + config.url() + " " + state + "]";
    }
}
