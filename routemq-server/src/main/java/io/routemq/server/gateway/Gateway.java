package io.routemq.server.gateway;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.routemq.redis.RedisConnections;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routemq.broker.EmbeddedBroker;
import io.routemq.broker.PortInUseException;
import io.routemq.core.Dispatcher;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.Routes;
import io.routemq.core.sink.Sink;
import io.routemq.mqtt.MqttApplication;
import io.routemq.mqtt.MqttSession;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;
import io.routemq.queue.DurableQueue;
import io.routemq.queue.QueueStore;
import io.routemq.server.admin.AdminServer;
import io.routemq.server.admin.HealthReport;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.ModuleConfigs;
import io.routemq.server.config.RoutePlan;
import io.routemq.server.config.SinkConfig;
import io.routemq.server.services.Services;
import io.routemq.core.config.Values;
import io.routemq.sink.http.HttpSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running gateway: the embedded broker (when configured), the MQTT sessions and their subscriptions, the
 * one pipeline of an application (an {@link MqttApplication} and its {@link Dispatcher}) running the config's routes
 * as routes without code whose terminal step durably enqueues every accepted message for each of its sinks before
 * it is acknowledged, the
 * delivery workers that move each queue into its sink, metrics and the admin endpoint.
 *
 * <p>Start order: the ports first (the embedded broker's port is chosen and printed as the first line, the admin
 * port is bound), so a taken port fails the start before anything connects; then metrics, queues, sinks and
 * workers, the embedded broker, the sessions. Until the start has finished {@code /health} answers DOWN
 * ({@code "starting"}). Stop order (SIGTERM): stop consuming (in-flight messages are finished and acknowledged),
 * let each worker deliver what is queued while its sink accepts it (a worker whose sink fails stops at once: its
 * messages are durable), until the deadline; then close the queues, the broker and the admin endpoint. What is
 * still queued is delivered after the next start.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    /** The most messages in flight (waiting for durability, mostly) at once, per session. */
    static final int ENQUEUE_IN_FLIGHT = 4096;

    private final GatewayConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    /** Redis and the database of the process: the app's when it runs one (closed by the app), else the gateway's own. */
    private final Services services;
    private final boolean ownsServices;
    private final SinkHealth sinkHealth = new SinkHealth(metrics);
    private volatile boolean started;
    private volatile boolean stopping;
    private final List<Sink> sinks = new ArrayList<>();
    private final List<DeliveryWorker> workers = new ArrayList<>();
    private EmbeddedBroker broker;
    private QueueStore store;
    private SessionManager sessions;
    private Dispatcher dispatcher;
    private MqttApplication application;
    private AdminServer admin;

    private final List<Routes> code;
    private final JsonMapper json = JsonMapper.builder().build();

    private Gateway(GatewayConfig config, List<Routes> code, Services services) {
        this.config = config;
        this.code = List.copyOf(code);
        this.ownsServices = services == null;
        this.services = services != null ? services : new Services(config.redis(), config.database());
    }

    /** The config's routes and the code routes, as one table. */
    private RouteTable table(List<Routes> codeRoutes) {
        Router router = RoutePlan.router(config, r -> RouteFilters.middleware(r, json, this::redis, metrics));
        for (Routes r : codeRoutes) r.define(router);
        return router.build();
    }

    /**
     * Replaces the code routes in the running gateway ({@code routemq dev}'s reload): builds the config's routes and
     * the new code routes into a new table and swaps it in ({@link MqttApplication#swapRoutes}) without closing a
     * session, a sink or the queue. Messages in flight finish on the old code; a new filter is subscribed before an
     * old one is dropped.
     *
     * @return the filters subscribed and dropped
     * @throws IllegalStateException or IllegalArgumentException when the new routes are bad (a sink the config lacks, a
     *                               bad pattern); the old routes stay in force
     */
    public synchronized MqttApplication.RouteSwap replaceCode(List<Routes> codeRoutes, Duration timeout) throws InterruptedException {
        if (application == null) throw new IllegalStateException("the gateway is not started");
        return application.swapRoutes(table(codeRoutes), timeout);
    }

    /**
     * Starts a gateway. On failure everything started so far is stopped again and the exception is thrown.
     *
     * @param allowBrokerPortFallback when the embedded broker's port is taken, listen on a free port instead
     *                                (used for the demo config, so that it runs next to another local broker)
     */
    public static Gateway start(GatewayConfig config, boolean allowBrokerPortFallback) {
        return start(config, allowBrokerPortFallback, List.of());
    }

    /**
     * Starts a gateway that also runs code routes: an application. The code routes run on the same dispatcher as the
     * config's routes, may forward to the config's sinks ({@code router.on(...).to("ingest")}), and routes without
     * {@code .session(...)} are on the default session (the first broker, or the embedded broker).
     *
     * @throws IllegalStateException if a code route names a sink the config does not define
     */
    public static Gateway start(GatewayConfig config, boolean allowBrokerPortFallback, List<Routes> code) {
        return start(config, allowBrokerPortFallback, code, null);
    }

    /**
     * Starts a gateway that runs code routes, on the process's Redis and database of the app ({@code App.services()}):
     * the shipped middleware's {@code store: redis} uses the same {@link RedisConnections} as the app's components.
     * The gateway does not close them; their owner does, after the gateway has stopped.
     *
     * @param services the process's Redis and database, or null for the gateway's own (closed when it stops)
     * @throws IllegalStateException if a code route names a sink the config does not define
     */
    public static Gateway start(GatewayConfig config, boolean allowBrokerPortFallback, List<Routes> code, Services services) {
        Gateway g = new Gateway(config, code, services);
        try {
            g.startAll(allowBrokerPortFallback);
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private void startAll(boolean allowBrokerPortFallback) {
        // Ports first: a taken port must fail the start before a queue is opened or anything connects.
        int brokerPort = config.embeddedBrokerEnabled() ? chooseBrokerPort(allowBrokerPortFallback) : -1;
        if (config.admin().enabled()) admin = startAdmin();

        store = QueueStore.open(config.queue());
        Map<String, List<DurableQueue>> queuesBySink = new LinkedHashMap<>();
        for (SinkConfig sc : config.sinks().values()) {
            List<DurableQueue> queues = new ArrayList<>();
            for (Sink sink : open(sc)) {
                DurableQueue q = sc.queue().equals(SinkConfig.Queue.DEFAULT)
                        ? store.queue(ModuleConfigs.queueName(sink.name()))
                        : store.queue(ModuleConfigs.queueName(sink.name()), sc.queue().maxBytes(), ModuleConfigs.overflow(sc.queue().overflow()));
                sinks.add(sink);
                queues.add(q);
                workers.add(DeliveryWorker.start(sink, q, retry(sc.retry()), sinkHealth));
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
            broker = startBroker(internalPassword, brokerPort, allowBrokerPortFallback);
        }

        sessions = new SessionManager(config.brokers().isEmpty() ? GatewayConfig.EMBEDDED : config.brokers().keySet().iterator().next());
        for (var b : config.brokers().values()) sessions.add(b);
        if (broker != null) {
            sessions.add(SessionConfig.builder(GatewayConfig.EMBEDDED, broker.tcpUri())
                    .clientId(ModuleConfigs.INTERNAL_CLIENT_ID).credentials(ModuleConfigs.INTERNAL_USER, internalPassword)
                    .persistentSession(Duration.ofDays(1)).build());
        }

        RouteTable table = table(code);
        dispatcher = Dispatcher.builder(table).publisher(sessions).sinks(new QueueAppender(queuesBySink)).listener(metrics)
                .defaultSession(sessions.defaultSession()).maxInFlight(ENQUEUE_IN_FLIGHT * Math.max(1, sessions.list().size()))
                .threadName("routemq-route").build();
        application = MqttApplication.builder(sessions).dispatcher(dispatcher).build();
        application.start();
        started = true;
        int codeRoutes = table.size() - config.activeRoutes().size();
        log.info("RouteMQ gateway started: {} route(s){}, {} sink queue(s), sessions {}", config.activeRoutes().size(),
                code.isEmpty() ? "" : " from the config and " + codeRoutes + " from code", workers.size(),
                sessions.list().stream().map(MqttSession::name).toList());
    }

    /**
     * Chooses the embedded broker's TCP port before anything starts, and logs it as the gateway's first line: the
     * configured port when it is free; when it is taken, a free port if {@code allowFallback} (the demo), else a
     * {@link PortInUseException} naming {@code broker.port}.
     */
    private int chooseBrokerPort(boolean allowFallback) {
        String bind = config.broker().config().bindAddress();
        int configured = config.broker().config().port();
        String host = bind.equals("0.0.0.0") ? "127.0.0.1" : bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind;
        if (configured != 0 && bindable(bind, configured)) {
            log.info("embedded MQTT broker on {} port {} (mqtt://{}:{}), starting", host, configured, host, configured);
            return configured;
        }
        if (configured != 0 && !allowFallback) throw new PortInUseException("TCP", bind, configured, "broker.port", null);
        int port = freePort(bind);
        log.info("embedded MQTT broker on {} port {} (mqtt://{}:{}), starting: {}", host, port, host, port, configured == 0
                ? "a free port, as broker.port is 0" : "port " + configured + " is taken (by another MQTT broker?), so the demo uses this free port");
        return port;
    }

    /** Whether the port is free on the address; false only when it is in use. */
    private static boolean bindable(String bind, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(bind, port));
            return true;
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) return false;
            throw new IllegalStateException("broker.bind " + bind + ": cannot listen there (" + e.getMessage()
                    + "); use an address of this machine, such as 127.0.0.1 or 0.0.0.0", e);
        } catch (IOException e) {
            throw new IllegalStateException("broker.port " + port + ": cannot check the port on " + bind + ": " + e.getMessage(), e);
        }
    }

    private static int freePort(String bind) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(bind, 0));
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("broker.bind " + bind + ": cannot find a free port on it (" + e.getMessage()
                    + "); use 127.0.0.1 or 0.0.0.0", e);
        }
    }

    /** Binds the admin port; until the start has finished {@code /health} answers DOWN with {@code "starting"}. */
    private AdminServer startAdmin() {
        String bind = config.admin().bind();
        int port = config.admin().port();
        try {
            return AdminServer.start(bind, port, registry, () -> started ? health() : new HealthReport(false, Map.of("starting", true)),
                    this::readiness);
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof BindException)) throw e;
            throw new IllegalStateException("admin.port " + port + ": admin HTTP port " + bind + ":" + port + " is already in use "
                    + "(another RouteMQ gateway?); nothing was started. Set admin.port (or ROUTEMQ_ADMIN_PORT, or run "
                    + "--admin-port) to a free port, 0 for any, or admin.enabled: false", e);
        }
    }

    private EmbeddedBroker startBroker(String internalPassword, int port, boolean allowPortFallback) {
        EmbeddedBroker b = EmbeddedBroker.create(ModuleConfigs.broker(config.broker(), internalPassword, port));
        try {
            b.start();
        } catch (PortInUseException e) {
            // taken between the choice and the start
            if (!allowPortFallback) throw e;
            b.close();
            log.warn("port {} was taken while the broker started: the demo's embedded broker listens on a free port instead", port);
            b = EmbeddedBroker.create(ModuleConfigs.broker(config.broker(), internalPassword, 0));
            b.start();
        }
        log.info("{}", b.readyLine());
        return b;
    }

    /** The current health ({@code /health}, see {@link GatewayHealth}). */
    public HealthReport health() {
        return GatewayHealth.health(sessions, workers, sinkHealth, config.admin().sinkFailureWindow(), broker);
    }

    /** Whether the gateway takes messages now ({@code /ready} for load balancers, see {@link GatewayHealth}). */
    public HealthReport readiness() {
        return GatewayHealth.readiness(started, stopping, sessions, workers);
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
     * Graceful stop within {@code timeout}: stop consuming and acknowledge what is in flight, let each worker deliver
     * what is queued while its sink accepts it (a worker whose sink fails stops at once), until the deadline, then
     * close everything. What is still queued is durable and delivered after the next start.
     */
    public void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        stopping = true;
        try {
            if (sessions != null) sessions.disconnectAll(remaining(deadline, timeout.dividedBy(2)));
            if (dispatcher != null) dispatcher.shutdown(remaining(deadline, timeout.dividedBy(2)));
            for (DeliveryWorker w : workers) {
                boolean finished = w.stop(true, remaining(deadline, timeout));
                long left = w.queue().sizeRecords();
                if (left > 0) {
                    log.info("sink '{}': {} message(s) stay queued{}; they are delivered after the next start", w.queue().name(), left,
                            finished ? "" : " (" + Values.formatDuration(timeout) + " shutdown timeout reached)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly();
        }
    }

    /** The sinks of one {@code sinks.<name>} entry: one per URL of a fan-out HTTP sink, else one. */
    private static List<? extends Sink> open(SinkConfig sc) {
        return switch (sc.type()) {
            case SinkConfig.Http h -> HttpSink.forConfig(h.config());
            case SinkConfig.Discard d -> List.of(new DiscardSink(sc.name()));
        };
    }

    /** A sink's retry policy. */
    static RetryPolicy retry(SinkConfig.Retry r) {
        return new RetryPolicy(r.attempts(), r.backoffMin(), r.backoffMax(), 2.0, 0.2, r.maxAge());
    }

    private static Duration remaining(long deadline, Duration cap) {
        long left = Math.max(1, deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(left, cap.toNanos()));
    }

    /**
     * The Redis connections of the shipped middleware's {@code store: redis}: the process's, of the {@code redis:}
     * section (the config loader refuses {@code store: redis} without one). Opened on first use (they connect on the
     * first command).
     */
    private RedisConnections redis() {
        return services.redis("store: redis (rateLimit, dedup middleware)");
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
        if (ownsServices) services.close();
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
