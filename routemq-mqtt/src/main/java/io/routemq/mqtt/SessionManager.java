package io.routemq.mqtt;

import io.routemq.core.Message;
import io.routemq.core.Publication;
import io.routemq.core.Publisher;
import io.routemq.mqtt.internal.DefaultSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Named broker sessions: add, remove, get, list; connect and disconnect them together; wait for them to be ready;
 * publish on them. It is the {@link Publisher} handlers use: a publication goes out on the session it names, or on
 * the default session ({@code "default"}) when it names none.
 * <pre>{@code
 * SessionManager sessions = new SessionManager();
 * sessions.add(SessionConfig.builder("mqtt://127.0.0.1:1883").build());          // "default"
 * sessions.add(SessionConfig.builder("plant", "mqtts://plant.example:8883").build());
 * sessions.addListener(e -> log.info("{}", e));
 * sessions.connectAll();
 * sessions.waitForAll(Duration.ofSeconds(10));
 * }</pre>
 */
public final class SessionManager implements Publisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

    private final Map<String, DefaultSession> sessions = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final String defaultSession;

    /** A manager whose default session is named {@code "default"}. */
    public SessionManager() {
        this(Message.DEFAULT_SESSION);
    }

    /** A manager whose default session has this name. */
    public SessionManager(String defaultSession) {
        this.defaultSession = Objects.requireNonNull(defaultSession, "defaultSession");
    }

    /** The name of the default session. */
    public String defaultSession() {
        return defaultSession;
    }

    /**
     * Adds a session (not connected yet).
     *
     * @throws IllegalArgumentException if a session of that name exists
     */
    public MqttSession add(SessionConfig config) {
        Objects.requireNonNull(config, "config");
        DefaultSession s = new DefaultSession(config, this::fire);
        if (sessions.putIfAbsent(config.name(), s) != null) {
            throw new IllegalArgumentException("a session named '" + config.name() + "' already exists; session names must be unique");
        }
        order.add(config.name());
        log.info("session '{}' added: {}", config.name(), config);
        fire(new SessionEvent(SessionEvent.Type.ADDED, config.name(), 0, Instant.now(), SessionState.NEW, null, 0, null, null, config.url()));
        return s;
    }

    /**
     * Disconnects (gracefully, within {@code timeout}) and removes a session.
     *
     * @return false if there was no such session
     */
    public boolean remove(String name, Duration timeout) throws InterruptedException {
        DefaultSession s = sessions.remove(name);
        if (s == null) return false;
        order.remove(name);
        s.disconnect(timeout);
        fire(new SessionEvent(SessionEvent.Type.REMOVED, name, 0, Instant.now(), SessionState.STOPPED, null, 0, null, null, null));
        return true;
    }

    /**
     * The session of that name.
     *
     * @throws IllegalArgumentException naming the known sessions if there is none
     */
    public MqttSession get(String name) {
        MqttSession s = sessions.get(Objects.requireNonNull(name, "name"));
        if (s == null) throw new IllegalArgumentException("no session named '" + name + "'; sessions are " + order);
        return s;
    }

    /** The session of that name, if any. */
    public Optional<MqttSession> find(String name) {
        return Optional.ofNullable(sessions.get(name));
    }

    /** All sessions, in the order they were added. */
    public List<MqttSession> list() {
        List<MqttSession> out = new ArrayList<>();
        for (String n : order) {
            MqttSession s = sessions.get(n);
            if (s != null) out.add(s);
        }
        return out;
    }

    /** The status of every session. */
    public List<SessionStatus> statuses() {
        List<SessionStatus> out = new ArrayList<>();
        for (MqttSession s : list()) out.add(s.status());
        return out;
    }

    /** The status of one session. */
    public SessionStatus status(String name) {
        return get(name).status();
    }

    /** Starts connecting every session; returns at once. */
    public void connectAll() {
        for (MqttSession s : list()) s.connect();
    }

    /**
     * Waits until a session is ready.
     *
     * @throws MqttException the session's connection error (auth, TLS, refused) or a refused subscription, or a
     *                       {@link ConnectTimeoutException} when it is not ready in time
     */
    public void waitFor(String name, Duration timeout) throws InterruptedException {
        get(name).awaitReady(timeout);
    }

    /** Waits until every session is ready, within one overall timeout. */
    public void waitForAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (MqttSession s : list()) s.awaitReady(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    /**
     * Stops every session gracefully: stop taking messages, finish and acknowledge those in flight, disconnect
     * cleanly; all within {@code timeout}.
     *
     * @return true if every message in flight was finished and acknowledged in time
     */
    public boolean disconnectAll(Duration timeout) throws InterruptedException {
        List<MqttSession> all = list();
        List<Thread> threads = new ArrayList<>();
        boolean[] ok = new boolean[all.size()];
        for (int i = 0; i < all.size(); i++) {
            int idx = i;
            MqttSession s = all.get(i);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    ok[idx] = s.disconnect(timeout);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        boolean all0 = true;
        for (Thread t : threads) t.join();
        for (boolean b : ok) all0 &= b;
        return all0;
    }

    /** Registers a listener for every session's events. */
    public void addListener(SessionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener. */
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    /**
     * Publishes on the session the publication names, or on the default session. At QoS 1 and 2 the future completes
     * when the broker acknowledges.
     */
    @Override
    public CompletableFuture<Void> publish(Publication publication) {
        String name = publication.session() != null ? publication.session() : defaultSession;
        DefaultSession s = sessions.get(name);
        if (s == null) {
            return CompletableFuture.failedFuture(new PublishException(name, null, "cannot publish to '" + publication.topic()
                    + "': no session named '" + name + "'; sessions are " + order, null));
        }
        return s.publish(publication);
    }

    /** Subscribes on a named session; see {@link MqttSession#subscribe}. */
    public CompletableFuture<Void> subscribe(String session, SubscriptionSpec subscription, InboundListener listener) {
        return get(session).subscribe(subscription, listener);
    }

    /** Same as {@code disconnectAll(10s)}. */
    @Override
    public void close() {
        try {
            disconnectAll(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fire(SessionEvent e) {
        for (SessionListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                log.warn("session listener threw on {}: {}", e.type().wireName(), ex.toString());
            }
        }
    }
}
