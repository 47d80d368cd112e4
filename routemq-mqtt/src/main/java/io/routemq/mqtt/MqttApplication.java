package io.routemq.mqtt;

import io.routemq.core.Acknowledgement;
import io.routemq.core.Dispatcher;
import io.routemq.core.Message;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Binds routes to sessions: computes the route table's subscriptions, subscribes each on the session its route
 * names (or the default session), and hands received messages to the dispatcher, acknowledging each one to the
 * broker only when the dispatcher's acknowledgement says so.
 * <pre>{@code
 * SessionManager sessions = new SessionManager();
 * sessions.add(SessionConfig.builder("mqtt://127.0.0.1:1883").clientId("app").persistentSession(Duration.ofHours(1)).build());
 * MqttApplication app = MqttApplication.builder(sessions).routes(router.build()).build();
 * app.start();
 * app.awaitReady(Duration.ofSeconds(10));
 * ...
 * app.stop(Duration.ofSeconds(30));
 * }</pre>
 * Code routes and routes that forward to sinks run on the same dispatcher: the gateway is an application whose
 * routes come from its config file (give the builder a dispatcher built with
 * {@link io.routemq.core.Dispatcher.Builder#sinks}).
 */
public final class MqttApplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttApplication.class);

    private final SessionManager sessions;
    private volatile RouteTable table;
    private final Dispatcher dispatcher;
    private final boolean ownsDispatcher;
    private final InboundListener sink;
    private final Duration shutdownTimeout;
    private final Set<String> used = new LinkedHashSet<>();
    private volatile boolean started;

    private MqttApplication(Builder b) {
        this.sessions = b.sessions;
        this.table = b.table;
        this.shutdownTimeout = b.shutdownTimeout;
        if (b.dispatcher != null) {
            this.dispatcher = b.dispatcher;
            this.ownsDispatcher = false;
        } else {
            this.dispatcher = Dispatcher.builder(table).publisher(sessions).defaultSession(sessions.defaultSession()).build();
            this.ownsDispatcher = true;
        }
        Dispatcher d = dispatcher;
        this.sink = new InboundListener() {
            @Override
            public void accept(Message message, Acknowledgement ack) throws InterruptedException {
                d.dispatch(message, ack);
            }

            @Override
            public boolean tryAccept(Message message, Acknowledgement ack) {
                return d.tryDispatch(message, ack);
            }
        };
    }

    /** A builder over a session manager. */
    public static Builder builder(SessionManager sessions) {
        return new Builder(sessions);
    }

    /** The session manager (also the {@link io.routemq.core.Publisher} for handlers). */
    public SessionManager sessions() {
        return sessions;
    }

    /** The dispatcher that runs the routes. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The subscriptions this application makes. */
    public List<Subscription> subscriptions() {
        return table.subscriptions();
    }

    /**
     * Subscribes every route's filter on its session, then connects every session. Returns at once.
     *
     * @throws IllegalStateException if a route names a session the manager does not have
     */
    public synchronized void start() {
        if (started) throw new IllegalStateException("application already started");
        List<MqttSession> targets = new ArrayList<>();
        for (Subscription s : table.subscriptions()) {
            String name = s.session() != null ? s.session() : sessions.defaultSession();
            MqttSession session = sessions.find(name).orElseThrow(() -> new IllegalStateException("subscription '" + s
                    + "' needs session '" + name + "', which is not configured; sessions are "
                    + sessions.list().stream().map(MqttSession::name).toList()));
            targets.add(session);
        }
        for (int i = 0; i < targets.size(); i++) {
            Subscription s = table.subscriptions().get(i);
            MqttSession session = targets.get(i);
            used.add(session.name());
            CompletableFuture<Void> f = session.subscribe(SubscriptionSpec.from(s), sink);
            f.exceptionally(t -> null);
            log.info("route subscription {} on session '{}'", s.topicFilter(session.config().sharePrefix()), session.name());
        }
        started = true;
        sessions.connectAll();
    }

    /**
     * Replaces the routes in the running application without closing a session (dev mode's reload). In order:
     * subscribes the filters the new routes add and waits for the broker to grant them, swaps the dispatcher's route
     * table ({@link Dispatcher#swapRoutes}: messages in flight finish on the old routes' code), then unsubscribes the
     * filters no new route needs. A filter both tables have is left alone. Before {@link #start()}, it only replaces
     * the routes.
     *
     * @param next    the new routes
     * @param timeout how long to wait for the new filters' grants
     * @return the filters subscribed and dropped
     * @throws IllegalStateException when a new route names a session the manager lacks, or a sink the dispatcher does
     *                               not serve, or when the new filters are not granted in time; nothing is changed
     * @throws MqttException         when the broker refuses a new filter; the old routes stay in force (the filters added
     *                               by this call are dropped again)
     */
    public synchronized RouteSwap swapRoutes(RouteTable next, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(next, "next");
        Map<SubscriptionKey, Subscription> before = keys(table);
        Map<SubscriptionKey, Subscription> after = keys(next);
        for (SubscriptionKey k : after.keySet()) session(k.session(), after.get(k));
        if (!started) {
            dispatcher.swapRoutes(next);
            table = next;
            return new RouteSwap(List.of(), List.of());
        }
        List<SubscriptionKey> added = after.keySet().stream().filter(k -> !before.containsKey(k)).toList();
        List<SubscriptionKey> dropped = before.keySet().stream().filter(k -> !after.containsKey(k)).toList();
        List<CompletableFuture<Void>> grants = new ArrayList<>();
        for (SubscriptionKey k : added) {
            MqttSession session = session(k.session(), after.get(k));
            used.add(session.name());
            grants.add(session.subscribe(k.spec(), sink));
        }
        try {
            CompletableFuture.allOf(grants.toArray(new CompletableFuture[0])).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            dispatcher.swapRoutes(next);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            for (SubscriptionKey k : added) sessions.get(k.session()).unsubscribe(k.spec()).exceptionally(t -> null);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof MqttException m) throw m;
            if (cause instanceof RuntimeException r && !(e instanceof ExecutionException)) throw r;
            throw new IllegalStateException("the new routes' subscriptions " + added.stream().map(k -> k.spec().filter()).toList()
                    + " were not granted within " + timeout + "; the old routes stay in force", cause);
        }
        table = next;
        for (SubscriptionKey k : dropped) {
            sessions.get(k.session()).unsubscribe(k.spec()).exceptionally(t -> {
                log.warn("unsubscribing {} on session '{}': {}", k.spec().filter(), k.session(), t.toString());
                return null;
            });
        }
        List<String> plus = added.stream().map(k -> k.spec().filter() + " on '" + k.session() + "'").toList();
        List<String> minus = dropped.stream().map(k -> k.spec().filter() + " on '" + k.session() + "'").toList();
        if (!plus.isEmpty() || !minus.isEmpty()) log.info("routes swapped: subscribed {}, unsubscribed {}", plus, minus);
        return new RouteSwap(plus, minus);
    }

    /**
     * What {@link #swapRoutes} changed.
     *
     * @param subscribed   the filters it subscribed (filter and session)
     * @param unsubscribed the filters it dropped
     */
    public record RouteSwap(List<String> subscribed, List<String> unsubscribed) {
        /** Copies the lists. */
        public RouteSwap {
            subscribed = List.copyOf(subscribed);
            unsubscribed = List.copyOf(unsubscribed);
        }
    }

    private record SubscriptionKey(String session, SubscriptionSpec spec) {
    }

    private Map<SubscriptionKey, Subscription> keys(RouteTable t) {
        Map<SubscriptionKey, Subscription> out = new LinkedHashMap<>();
        for (Subscription s : t.subscriptions()) {
            out.put(new SubscriptionKey(s.session() != null ? s.session() : sessions.defaultSession(), SubscriptionSpec.from(s)), s);
        }
        return out;
    }

    private MqttSession session(String name, Subscription s) {
        return sessions.find(name).orElseThrow(() -> new IllegalStateException("subscription '" + s
                + "' needs session '" + name + "', which is not configured; sessions are "
                + sessions.list().stream().map(MqttSession::name).toList()));
    }

    /** Waits until every session the routes use is ready; see {@link SessionManager#waitFor}. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String name : used) sessions.waitFor(name, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    /**
     * Graceful shutdown: stop taking new messages, finish and acknowledge the ones in flight, disconnect cleanly,
     * all within {@code timeout}. A dispatcher this application created is shut down too.
     *
     * @return true if every in-flight message finished and was acknowledged in time
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean ok = sessions.disconnectAll(timeout);
        if (ownsDispatcher) ok &= dispatcher.shutdown(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        return ok;
    }

    /** Same as {@code stop(shutdownTimeout)}. */
    @Override
    public void close() {
        try {
            stop(shutdownTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds an {@link MqttApplication}. */
    public static final class Builder {
        private final SessionManager sessions;
        private RouteTable table;
        private Dispatcher dispatcher;
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        private Builder(SessionManager sessions) {
            this.sessions = Objects.requireNonNull(sessions, "sessions");
        }

        /** The routes (their subscriptions are made; the dispatcher runs them). */
        public Builder routes(RouteTable table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** The routes of a router ({@link Router#build()} is called). */
        public Builder router(Router router) {
            return routes(router.build());
        }

        /**
         * The dispatcher that runs the routes. Default: one built over the routes, publishing through the sessions,
         * and shut down by {@link #stop}.
         */
        public Builder dispatcher(Dispatcher dispatcher) {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            if (table == null) table = dispatcher.table();
            return this;
        }

        /** The timeout of {@link #close()} (default 30s). */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Builds the application.
         *
         * @throws IllegalStateException without routes
         */
        public MqttApplication build() {
            if (table == null) throw new IllegalStateException("MqttApplication needs routes: call routes(table), router(router) or dispatcher(d)");
            return new MqttApplication(this);
        }
    }
}
