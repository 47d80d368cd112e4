package io.routemq.server.gateway;

import io.routemq.core.annotation.RouteIndex;
import io.routemq.server.app.App;
import io.routemq.server.app.AppSections;
import io.routemq.server.app.DevReloader;
import io.routemq.server.app.Settings;
import io.routemq.server.cli.GatewayLauncher;
import io.routemq.server.config.GatewayConfig;
import io.routemq.core.config.Values;
import io.routemq.server.logging.LoggingSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the gateway for {@code routemq run} until SIGTERM or SIGINT, then stops it gracefully within
 * {@code shutdown.timeout}. Found by the CLI through {@link java.util.ServiceLoader}.
 */
public final class GatewayRunner implements GatewayLauncher {
    private static final Logger log = LoggerFactory.getLogger(GatewayRunner.class);
    /** How long the running line waits for the sessions to be subscribed before it says they are not yet. */
    private static final Duration READY_WAIT = Duration.ofSeconds(5);

    /** Used by {@link java.util.ServiceLoader}. */
    public GatewayRunner() {
    }

    @Override
    public int run(GatewayConfig config, Path configFile) throws Exception {
        LoggingSetup.apply(config.logging());
        Gateway gateway = Gateway.start(config, configFile == null);
        return runUntilStopped(config, gateway, () -> null, configFile == null ? " the demo config (no --config given)" : "");
    }

    @Override
    public int runApp(GatewayConfig config, RouteIndex index, Map<String, String> env) throws Exception {
        LoggingSetup.apply(config.logging());
        App app = App.build(Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : GatewayRunner.class.getClassLoader(), index, new Settings(env), AppSections.redis(config), AppSections.database(config),
                AppSections.jobs(config));
        Gateway gateway = start(config, app);
        return runUntilStopped(config, gateway, () -> app, " the app (" + app.routes().size() + " route file(s) and controller(s))");
    }

    @Override
    public int devApp(GatewayConfig config, RouteIndex index, Map<String, String> env, Path appDir) throws Exception {
        LoggingSetup.apply(config.logging());
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : GatewayRunner.class.getClassLoader();
        App app = App.build(loader, index, new Settings(env), AppSections.redis(config), AppSections.database(config),
                AppSections.jobs(config));
        Gateway gateway = start(config, app); // job workers keep the classes loaded at start: a reload swaps routes and controllers
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
        String processors = env.getOrDefault("ROUTEMQ_DEV_PROCESSOR_PATH", "");
        List<Path> processorPath = Arrays.stream(processors.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
        Path dir = appDir.toAbsolutePath().normalize();
        DevReloader dev = new DevReloader(dir.resolve("src/main/java"), classPath, processorPath, List.of(dir.resolve("target/classes")),
                dir.resolve("target/routemq-dev"), loader, app, routes -> gateway.replaceCode(routes, config.shutdown().timeout()));
        dev.start();
        return runUntilStopped(config, gateway, () -> {
            dev.close();
            return dev.current();
        }, " the app in dev mode (reloads on a change under src/main/java)");
    }

    /** Starts the gateway with the app's routes, connects its publisher, then its job workers (a job may publish). */
    private static Gateway start(GatewayConfig config, App app) {
        Gateway gateway;
        try {
            gateway = Gateway.start(config, false, app.routeFiles(), app.services()); // one Redis and database pool per process
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        app.bindPublisher(gateway.sessions());
        try {
            app.startJobs();
        } catch (RuntimeException e) {
            gateway.stop(config.shutdown().timeout());
            app.close();
            throw e;
        }
        return gateway;
    }

    private int runUntilStopped(GatewayConfig config, Gateway gateway, Supplier<App> apps, String what) throws InterruptedException {
        String timeout = Values.formatDuration(config.shutdown().timeout());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("stopping: no new messages; finishing in-flight ones, then delivering what is queued while the sinks "
                    + "accept it (up to {}); the rest stays queued for the next start", timeout);
            gateway.stop(config.shutdown().timeout());
            App app = apps.get();
            if (app != null) app.close(); // job workers, components, job store, Redis, database pool: after the last message
            log.info("stopped");
            stopped.countDown();
        }, "routemq-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String admin = gateway.adminPort() > 0
                ? "; health and metrics on http://" + config.admin().bind() + ":" + gateway.adminPort() + "/health and /metrics" : "";
        String mqtt = gateway.embeddedBrokerUri() != null ? "; embedded MQTT broker " + gateway.embeddedBrokerUri() : "";
        // The running line is what users and scripts wait for before they publish: say it once the sessions are
        // subscribed (a message published before that reaches no subscription), or after READY_WAIT with why not.
        String sessionsState = "every session subscribed";
        try {
            gateway.awaitReady(READY_WAIT);
        } catch (RuntimeException e) {
            sessionsState = "sessions not ready yet (" + e.getMessage() + "): they keep connecting, /ready answers 200 once they are";
        }
        if (stopped.getCount() > 0) { // not when a SIGTERM came during the wait
            log.info("RouteMQ gateway running{}{}{}; {} (Ctrl-C to stop)", what, mqtt, admin, sessionsState);
        }
        stopped.await();
        return 0;
    }
}
