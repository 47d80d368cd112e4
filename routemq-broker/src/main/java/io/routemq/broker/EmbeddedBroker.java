package io.routemq.broker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.routemq.broker.internal.DropMonitor;
import io.routemq.broker.internal.ConnectionLimitsLog;
import io.routemq.broker.internal.Credentials;
import io.routemq.broker.internal.DataDir;
import io.routemq.broker.internal.HiveMqConfigXml;
import io.routemq.broker.internal.PemKeyStore;
import io.routemq.broker.internal.Ports;
import io.routemq.broker.internal.QuietLogging;
import io.routemq.broker.internal.RouteMqExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT 5 broker: HiveMQ Community Edition, configured from a {@link BrokerConfig} and secured by
 * RouteMQ's authentication and ACL.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().allowAnonymous(true).build()) {
 *     broker.start();                       // blocks until every listener is bound
 *     int port = broker.tcpPort();          // the actual port, also when 0 was asked for
 * }
 * }</pre>
 *
 * <p>One instance starts once; {@link #close()} stops it and frees its ports and its data directory lock.
 * Thread-safe.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    /**
     * HiveMQ hands an embedded extension its services through JVM-wide statics while the extension starts, so two
     * brokers must not start at the same moment. A lock object, not mutable state.
     */
    private static final Object START_LOCK = new Object();
    private static final String DROPPED = "com.hivemq.messages.dropped.count";
    private static final String CONNECTIONS = "com.hivemq.networking.connections.current";

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private final BrokerConfig config;
    private final Duration startTimeout;
    private State state = State.NEW;
    private EmbeddedHiveMQ hivemq;
    private RouteMqExtension extension;
    private Credentials credentials;
    private Path workDir;
    private List<ListenerAddress> listeners = List.of();
    private DropMonitor dropMonitor;
    private long startMillis;
    private boolean limitsLog;

    private EmbeddedBroker(BrokerConfig config, Duration startTimeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.startTimeout = startTimeout;
    }

    /** @return a builder with the defaults of {@link BrokerConfig} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param config the config
     * @return a broker, not started
     */
    public static EmbeddedBroker create(BrokerConfig config) {
        return new Builder().config(config).build();
    }

    /** @return the config */
    public BrokerConfig config() {
        return config;
    }

    /**
     * Starts the broker and blocks until every listener is bound.
     *
     * @return the listeners with their actual ports
     * @throws PortInUseException    if a port is taken
     * @throws BrokerConfigException if the password file, TLS files or data directory are unusable
     * @throws BrokerException       if HiveMQ fails to start
     */
    public synchronized List<ListenerAddress> start() {
        if (state == State.RUNNING) {
            return listeners;
        }
        if (state != State.NEW) {
            throw new IllegalStateException("This EmbeddedBroker was " + state.name().toLowerCase()
                    + "; build a new one to start again");
        }
        state = State.STARTING;
        long t0 = System.nanoTime();
        try {
            doStart();
        } catch (RuntimeException | Error e) {
            shutdown();
            state = State.CLOSED;
            throw e;
        }
        state = State.RUNNING;
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        log.info("Embedded broker (HiveMQ CE) started in {} ms: {}", startMillis, listeners);
        return listeners;
    }

    private void doStart() {
        credentials = new Credentials(config.users(), config.passwordFile(), config.internal());
        if (credentials.size() == 0 && !config.allowAnonymous()) {
            log.warn("The broker has no users and anonymous access is off: every client{} will be refused."
                    + " Add broker.users or broker.passwordFile, or set broker.allowAnonymous: true.",
                    config.internal() == null ? "" : " but the gateway's own session");
        }
        InetAddress bind = bindAddress();
        List<Integer> taken = new ArrayList<>();
        int tcp = Ports.resolve(bind, config.port(), "TCP", "broker.port", taken);
        int ws = config.wsEnabled() ? Ports.resolve(bind, config.wsPort(), "WebSocket", "broker.wsPort", taken) : -1;
        int tls = config.tls() == null ? -1 : Ports.resolve(bind, config.tls().port(), "TLS", "broker.tls.port", taken);
        Path dataDir = DataDir.prepare(config);

        try {
            workDir = Files.createTempDirectory("routemq-broker-");
            Path conf = Files.createDirectories(workDir.resolve("conf"));
            Path extensions = Files.createDirectories(workDir.resolve("extensions"));
            if (dataDir == null) {
                dataDir = Files.createDirectories(workDir.resolve("data"));
            }
            String keystore = null;
            String storePassword = null;
            if (config.tls() != null) {
                byte[] random = new byte[18];
                new SecureRandom().nextBytes(random);
                storePassword = HexFormat.of().formatHex(random);
                Path ks = conf.resolve("routemq-tls.p12");
                PemKeyStore.write(config.tls().certFile(), config.tls().keyFile(), ks, storePassword.toCharArray());
                keystore = ks.toString();
            }
            Files.writeString(conf.resolve("config.xml"),
                    HiveMqConfigXml.render(config, tcp, ws, tls, keystore, storePassword), StandardCharsets.UTF_8);

            QuietLogging.apply();
            ConnectionLimitsLog.acquire();
            limitsLog = true;
            extension = new RouteMqExtension(config, credentials);
            EmbeddedExtension embeddedExtension = EmbeddedExtension.builder()
                    .withId("routemq-auth")
                    .withName("RouteMQ authentication and ACL")
                    .withVersion("1")
                    .withPriority(1000)
                    .withStartPriority(1000)
                    .withExtensionMain(extension)
                    .build();
            synchronized (START_LOCK) {
                // HiveMQ delays the close of its persistences by this grace period (2 s by default) for tasks that
                // may still be enqueued. Clients and event loops are already shut down by then; 500 ms is plenty.
                InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(500);
                Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
                try {
                    hivemq = EmbeddedHiveMQ.builder()
                            .withConfigurationFolder(conf)
                            .withDataFolder(dataDir)
                            .withExtensionsFolder(extensions)
                            .withEmbeddedExtension(embeddedExtension)
                            .withoutLoggingBootstrap()
                            .build();
                    hivemq.start().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } finally {
                    // HiveMQ installs a JVM-wide handler that may call System.exit; keep the application's
                    Thread.setDefaultUncaughtExceptionHandler(previous);
                }
            }
        } catch (IOException e) {
            throw new BrokerException("Cannot prepare the broker's working directory under "
                    + System.getProperty("java.io.tmpdir") + ": " + e, e);
        } catch (ExecutionException e) {
            throw startFailure(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw new BrokerException("The broker did not start within " + startTimeout.toSeconds()
                    + " s. Check the log (logger com.hivemq at INFO) and the data directory " + dataDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("Interrupted while starting the broker", e);
        }

        List<ListenerAddress> out = new ArrayList<>();
        out.add(checkBound(bind, new ListenerAddress(ListenerAddress.Kind.TCP, config.bindAddress(), tcp, ""), "broker.port"));
        if (ws >= 0) {
            out.add(checkBound(bind, new ListenerAddress(ListenerAddress.Kind.WEBSOCKET, config.bindAddress(), ws,
                    config.wsPath()), "broker.wsPort"));
        }
        if (tls >= 0) {
            out.add(checkBound(bind, new ListenerAddress(ListenerAddress.Kind.TLS, config.bindAddress(), tls, ""),
                    "broker.tls.port"));
        }
        listeners = List.copyOf(out);

        dropMonitor = new DropMonitor(this::droppedMessages, config.maxQueuedMessages(),
                config.queueOverflow() == BrokerConfig.QueueOverflow.DISCARD_NEW ? "discardNew" : "discardOldest");
    }

    private BrokerException startFailure(Throwable cause) {
        String msg = String.valueOf(cause.getMessage());
        if (msg.contains("Is another HiveMQ instance running")) {
            return new BrokerConfigException("broker.dataDir " + config.dataDir().toAbsolutePath()
                    + " is locked by another running broker (RouteMQ or HiveMQ). Stop it or use another broker.dataDir.", cause);
        }
        return new BrokerException("The embedded broker (HiveMQ CE) failed to start: " + cause
                + ". Check the log (logger com.hivemq) for details.", cause);
    }

    private InetAddress bindAddress() {
        try {
            return InetAddress.getByName(config.bindAddress());
        } catch (UnknownHostException e) {
            throw new BrokerConfigException("broker.bind '" + config.bindAddress()
                    + "' is not a valid address. Use e.g. 127.0.0.1 (loopback) or 0.0.0.0 (every interface).", e);
        }
    }

    private ListenerAddress checkBound(InetAddress bind, ListenerAddress l, String key) {
        // the port was free a moment ago; if we can bind it now, HiveMQ could not (it only logs that)
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(bind, l.port()));
        } catch (IOException expected) {
            return l;
        }
        throw new PortInUseException(l.kind() == ListenerAddress.Kind.TCP ? "TCP"
                : l.kind() == ListenerAddress.Kind.WEBSOCKET ? "WebSocket" : "TLS", l.host(), l.port(), key, null);
    }

    private long droppedMessages() {
        EmbeddedHiveMQ h = hivemq;
        if (h == null) {
            return 0;
        }
        Counter c = h.getMetricRegistry().getCounters().get(DROPPED);
        // HiveMQ counts publishes our ACL interceptor dropped as well; those are reported as denied publishes
        return c == null ? 0 : Math.max(0, c.getCount() - extension.droppedByAcl());
    }

    /** @return counters of the running broker (zeros before start) */
    public BrokerStats stats() {
        EmbeddedHiveMQ h = hivemq;
        long connections = 0;
        if (h != null) {
            MetricRegistry registry = h.getMetricRegistry();
            Gauge<?> g = registry.getGauges().get(CONNECTIONS);
            if (g != null && g.getValue() instanceof Number n) {
                connections = n.longValue();
            }
        }
        RouteMqExtension ext = extension;
        return new BrokerStats(connections, droppedMessages(),
                ext == null ? 0 : ext.deniedPublishes(),
                ext == null ? 0 : ext.deniedSubscriptions(),
                ext == null ? 0 : ext.failedLogins(),
                ext == null ? 0 : ext.filteredDeliveries());
    }

    /** @return the listeners with their actual ports; empty before start */
    public synchronized List<ListenerAddress> listeners() {
        return listeners;
    }

    /** @return the TCP port; 0 before start when 0 was asked for */
    public int tcpPort() {
        return port(ListenerAddress.Kind.TCP, config.port());
    }

    /** @return the WebSocket port, or -1 when disabled */
    public int wsPort() {
        return config.wsEnabled() ? port(ListenerAddress.Kind.WEBSOCKET, config.wsPort()) : -1;
    }

    /** @return the TLS port, or -1 when there is no TLS listener */
    public int tlsPort() {
        return config.tls() == null ? -1 : port(ListenerAddress.Kind.TLS, config.tls().port());
    }

    private synchronized int port(ListenerAddress.Kind kind, int configured) {
        return listeners.stream().filter(l -> l.kind() == kind).mapToInt(ListenerAddress::port).findFirst()
                .orElse(configured);
    }

    /** @return {@code mqtt://host:port} of the TCP listener */
    public String tcpUri() {
        return "mqtt://" + hostForUri() + ":" + tcpPort();
    }

    private String hostForUri() {
        String h = config.bindAddress();
        if (h.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    /**
     * @return whether the running broker refuses every client: it has no users (the reserved internal one not
     * counted) and anonymous access is off
     */
    public synchronized boolean refusesEveryone() {
        return state == State.RUNNING && !config.allowAnonymous() && credentials != null && credentials.size() == 0;
    }

    /** @return whether the broker is running */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** @return start-to-ready time of the last start in milliseconds, 0 before */
    public synchronized long startMillis() {
        return startMillis;
    }

    /** @return the one line the CLI prints when the broker is ready, naming each listener */
    public synchronized String readyLine() {
        StringBuilder b = new StringBuilder("RouteMQ broker ready:");
        for (ListenerAddress l : listeners) {
            b.append(' ').append(l.uri());
        }
        b.append(" (").append(config.persistence() == BrokerConfig.Persistence.MEMORY
                ? "in-memory" : "data in " + config.dataDir()).append(')');
        return b.toString();
    }

    /** Stops the broker and frees its ports. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        long t0 = System.nanoTime();
        boolean wasRunning = state == State.RUNNING;
        shutdown();
        state = State.CLOSED;
        if (wasRunning) {
            log.info("Embedded broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    private void shutdown() {
        if (limitsLog) {
            ConnectionLimitsLog.release();
            limitsLog = false;
        }
        if (dropMonitor != null) {
            dropMonitor.close();
        }
        if (hivemq != null) {
            try {
                hivemq.close();
            } catch (ExecutionException e) {
                log.warn("The broker did not stop cleanly: {}", String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workDir != null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                log.debug("cannot delete {}", workDir, e);
            }
        }
    }

    /** Builder for {@link EmbeddedBroker}; holds a {@link BrokerConfig.Builder}. */
    public static final class Builder {
        private BrokerConfig.Builder config = BrokerConfig.builder();
        private Duration startTimeout = Duration.ofMinutes(2);

        private Builder() {
        }

        /** @param c the whole config, replacing what was set before */
        public Builder config(BrokerConfig c) { config = c.toBuilder(); return this; }

        /** @param c changes to the config */
        public Builder configure(Consumer<BrokerConfig.Builder> c) { c.accept(config); return this; }

        /** @param v bind address */
        public Builder bindAddress(String v) { config.bindAddress(v); return this; }

        /** @param v TCP port, 0 for a free one */
        public Builder port(int v) { config.port(v); return this; }

        /** @param v WebSocket port, 0 for a free one, -1 to disable */
        public Builder wsPort(int v) { config.wsPort(v); return this; }

        /** Keeps everything in memory. */
        public Builder inMemory() { config.inMemory(); return this; }

        /** @param v data directory for file persistence */
        public Builder dataDir(Path v) { config.dataDir(v); return this; }

        /** @param v whether clients without a user name may connect */
        public Builder allowAnonymous(boolean v) { config.allowAnonymous(v); return this; }

        /**
         * @param name     user name
         * @param password plain password or hash
         * @return this
         */
        public Builder user(String name, String password) { config.user(name, password); return this; }

        /** @param v password file */
        public Builder passwordFile(Path v) { config.passwordFile(v); return this; }

        /** @param rule ACL rule to add */
        public Builder aclRule(BrokerConfig.AclRule rule) { config.aclRule(rule); return this; }

        /** @param v how long {@link EmbeddedBroker#start()} waits (2 minutes) */
        public Builder startTimeout(Duration v) { startTimeout = Objects.requireNonNull(v); return this; }

        /** @return the broker, not started */
        public EmbeddedBroker build() {
            try {
                return new EmbeddedBroker(config.build(), startTimeout);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new BrokerConfigException(e.getMessage(), e);
            }
        }
    }
}
