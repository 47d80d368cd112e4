package io.routemq.server.gateway;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routemq.broker.EmbeddedBroker;
import io.routemq.broker.PortInUseException;
import io.routemq.core.Handler;
import io.routemq.core.RouteTable;
import io.routemq.core.Subscription;
import io.routemq.core.sink.Sink;
import io.routemq.mqtt.MqttSession;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;
import io.routemq.mqtt.SessionStatus;
import io.routemq.mqtt.SubscriptionSpec;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.QueueStore;
import io.routemq.server.admin.AdminServer;
import io.routemq.server.admin.HealthReport;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.RouteConfig;
import io.routemq.server.config.RoutePlan;
import io.routemq.server.config.SinkConfig;
import io.routemq.sink.http.HttpSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running gateway: the embedded broker (when configured), the MQTT sessions and their subscriptions, the
 * receive path that durably enqueues every accepted message for each of its sinks before acknowledging it, the
 * delivery workers that move each queue into its sink, metrics and the admin endpoint.
 *
 * <p>Start order: metrics, queues, sinks and workers, embedded broker, sessions, admin. Stop order (SIGTERM):
 * stop consuming (in-flight messages are finished and acknowledged), let the workers deliver what is queued until
 * the deadline, close the queues, the broker and the admin endpoint. What is still queued is delivered after the
 * next start.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    /** The most messages waiting for durability at once, per session. */
    static final int ENQUEUE_IN_FLIGHT = 4096;

    private final GatewayConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final List<Sink> sinks = new ArrayList<>();
    private final List<DeliveryWorker> workers = new ArrayList<>();
    private final Map<String, EnqueueStep> steps = new LinkedHashMap<>();
    private EmbeddedBroker broker;
    private QueueStore store;
    private SessionManager sessions;
    private AdminServer admin;

    private Gateway(GatewayConfig config) {
        this.config = config;
    }

    /**
     * Starts a gateway. On failure everything started so far is stopped again and the exception is thrown.
     *
     * @param allowBrokerPortFallback when the embedded broker's port is taken, listen on a free port instead
     *                                (used for the demo config, so that it runs next to another local broker)
     */
    public static Gateway start(GatewayConfig config, boolean allowBrokerPortFallback) {
        Gateway g = new Gateway(config);
        try {
            g.startAll(allowBrokerPortFallback);
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private void startAll(boolean allowBrokerPortFallback) {
        store = QueueStore.open(Mappings.queue(config.queue()));
        Map<String, List<DurableQueue>> queuesBySink = new LinkedHashMap<>();
        for (SinkConfig sc : config.sinks().values()) {
            List<DurableQueue> queues = new ArrayList<>();
            for (HttpSink sink : HttpSink.forConfig(Mappings.http(sc))) {
                DurableQueue q = sc.queue().equals(SinkConfig.Queue.DEFAULT)
                        ? store.queue(Mappings.queueName(sink.name()))
                        : store.queue(Mappings.queueName(sink.name()), sc.queue().maxBytes(), Mappings.overflow(sc.queue().overflow()));
                sinks.add(sink);
                queues.add(q);
                workers.add(DeliveryWorker.start(sink, q, Mappings.retry(sc.retry()), metrics));
                Gauge.builder("routemq.queue.depth", q, DurableQueue::sizeRecords).description("Messages queued for the sink")
                        .tag("sink", q.name()).register(registry);
                Gauge.builder("routemq.queue.dead.letters", q, d -> d.deadLetters().size()).description("Messages in the sink's dead-letter queue")
                        .tag("sink", q.name()).register(registry);
                if (q.sizeRecords() > 0) log.info("sink '{}': {} message(s) queued from before, delivering", q.name(), q.sizeRecords());
            }
            queuesBySink.put(sc.name(), queues);
        }

        String internalPassword = null;
        if (config.embeddedBrokerEnabled()) {
            internalPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            broker = startBroker(internalPassword, allowBrokerPortFallback);
        }

        sessions = new SessionManager(config.brokers().isEmpty() ? GatewayConfig.EMBEDDED : config.brokers().keySet().iterator().next());
        for (var b : config.brokers().values()) sessions.add(Mappings.session(b));
        if (broker != null) {
            sessions.add(SessionConfig.builder(GatewayConfig.EMBEDDED, broker.tcpUri())
                    .clientId(Mappings.INTERNAL_CLIENT_ID).credentials(Mappings.INTERNAL_USER, internalPassword)
                    .persistentSession(Duration.ofDays(1)).build());
        }

        Map<String, RouteConfig> routeConfigs = new LinkedHashMap<>();
        for (RouteConfig r : config.activeRoutes()) routeConfigs.put(r.name(), r);
        Handler unused = ctx -> {
            throw new IllegalStateException("gateway routes are served by the enqueue step");
        };
        JsonMapper json = JsonMapper.builder().build();
        Map<String, RouteTable> tables = RoutePlan.tables(config, r -> unused);
        tables.forEach((session, table) -> {
            Map<String, SinkRoute> sinkRoutes = new LinkedHashMap<>();
            for (var route : table.routes()) {
                RouteConfig rc = routeConfigs.get(route.name());
                List<DurableQueue> queues = new ArrayList<>();
                for (String to : rc.to()) queues.addAll(queuesBySink.get(to));
                sinkRoutes.put(route.name(), new SinkRoute(route.name(), RouteFilters.of(rc, json), queues));
            }
            EnqueueStep step = new EnqueueStep(table, sinkRoutes, metrics, ENQUEUE_IN_FLIGHT);
            steps.put(session, step);
            MqttSession s = sessions.get(session);
            for (Subscription sub : table.subscriptions()) {
                sessions.subscribe(session, SubscriptionSpec.from(sub), step).exceptionally(t -> null);
                log.info("route subscription {} qos {} on session '{}' ({})", sub.topicFilter(s.config().sharePrefix()), sub.qos(),
                        session, s.config().url());
            }
        });
        sessions.connectAll();

        if (config.admin().enabled()) {
            admin = AdminServer.start(config.admin().bind(), config.admin().port(), registry, this::health);
        }
        log.info("RouteMQ gateway started: {} route(s), {} sink queue(s), sessions {}", config.activeRoutes().size(),
                workers.size(), sessions.list().stream().map(MqttSession::name).toList());
    }

    private EmbeddedBroker startBroker(String internalPassword, boolean allowPortFallback) {
        EmbeddedBroker b = EmbeddedBroker.create(Mappings.broker(config.broker(), internalPassword, -1));
        try {
            b.start();
        } catch (PortInUseException e) {
            if (!allowPortFallback) throw e;
            b.close();
            log.warn("port {} is in use (another MQTT broker?): the demo's embedded broker listens on a free port instead",
                    config.broker().port());
            b = EmbeddedBroker.create(Mappings.broker(config.broker(), internalPassword, 0));
            b.start();
        }
        log.info("{}", b.readyLine());
        return b;
    }

    /** The current health: up when every session is ready and every delivery worker runs. */
    public HealthReport health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        Map<String, Object> s = new LinkedHashMap<>();
        if (sessions != null) {
            for (SessionStatus st : sessions.statuses()) {
                up &= st.isReady();
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("url", st.url());
                one.put("state", st.state().name());
                if (st.lastError() != null) one.put("lastError", st.lastError().getMessage());
                if (!st.refused().isEmpty()) one.put("refusedSubscriptions", st.refused().stream().map(Object::toString).toList());
                s.put(st.name(), one);
            }
        }
        details.put("sessions", s);
        Map<String, Object> q = new LinkedHashMap<>();
        for (DeliveryWorker w : workers) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("queued", w.queue().sizeRecords());
            one.put("deadLetters", w.queue().deadLetters().size());
            if (w.failure() != null) {
                up = false;
                one.put("workerStopped", w.failure());
            }
            q.put(w.queue().name(), one);
        }
        details.put("queues", q);
        if (broker != null) details.put("embeddedBroker", broker.listeners().stream().map(Object::toString).toList());
        return new HealthReport(up, details);
    }

    /** The embedded broker's MQTT URI, or null when none runs. */
    public String embeddedBrokerUri() {
        return broker == null ? null : broker.tcpUri();
    }

    /** The admin endpoint's port, or -1 when disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** The session manager. */
    public SessionManager sessions() {
        return sessions;
    }

    /** Waits until every session is ready (subscribed). */
    public void awaitReady(Duration timeout) throws InterruptedException {
        sessions.waitForAll(timeout);
    }

    /**
     * Graceful stop within {@code timeout}: stop consuming and acknowledge what is in flight, deliver what is queued
     * until the deadline, then close everything. What is still queued is delivered after the next start.
     */
    public void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (sessions != null) sessions.disconnectAll(remaining(deadline, timeout.dividedBy(2)));
            for (DeliveryWorker w : workers) {
                if (!w.stop(true, remaining(deadline, timeout))) {
                    log.warn("sink '{}': stopped with {} message(s) still queued; they are delivered after the next start",
                            w.queue().name(), w.queue().sizeRecords());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly();
        }
    }

    private static Duration remaining(long deadline, Duration cap) {
        long left = Math.max(1, deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(left, cap.toNanos()));
    }

    private void closeQuietly() {
        for (DeliveryWorker w : workers) w.close();
        for (Sink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.debug("closing sink {}: {}", s.name(), e.toString());
            }
        }
        if (sessions != null) sessions.close();
        if (store != null) store.close();
        if (broker != null) broker.close();
        if (admin != null) admin.close();
        registry.close();
    }

    /** Stops at once with a short deadline. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /** The metrics registry (Prometheus). */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
