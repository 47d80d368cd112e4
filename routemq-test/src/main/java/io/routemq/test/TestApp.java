package io.routemq.test;

import io.routemq.core.Dispatcher;
import io.routemq.core.Publication;
import io.routemq.core.Route;
import io.routemq.core.RouteTable;
import io.routemq.mqtt.MqttApplication;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One test class's routes running on a broker, wired as the gateway wires its own: a {@link SessionManager}, a
 * {@link Dispatcher} with the sink step and a listener, and an {@link MqttApplication} that subscribes the routes.
 * A second session publishes the test's messages, as a device would. Closed after the class (JUnit's class store).
 */
final class TestApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouteMqTester.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    final RouteTable table;
    final Recorder recorder = new Recorder();
    final Map<String, CapturingSink> sinks = new LinkedHashMap<>();
    final SessionManager sessions;
    final SessionManager devices;
    final Dispatcher dispatcher;
    final MqttApplication application;
    final String brokerUrl;
    final long setupMillis;

    /**
     * Starts the routes and waits until every subscription is granted.
     *
     * @param name       the test class, for client ids and logs
     * @param extraSinks sink names to capture besides those the routes name
     */
    TestApp(String name, RouteTable table, String brokerUrl, Set<String> extraSinks, Duration awaitTimeout) throws InterruptedException {
        long t0 = System.nanoTime();
        this.table = table;
        this.brokerUrl = brokerUrl;
        Set<String> sinkNames = new TreeSet<>(extraSinks);
        for (Route r : table.routes()) sinkNames.addAll(r.sinks());
        for (String s : sinkNames) sinks.put(s, new CapturingSink(s, awaitTimeout));

        // unique client ids: two classes (or two builds on one external broker) never take over each other's session
        String id = clientIdPart(name) + "-" + UUID.randomUUID().toString().substring(0, 8);
        sessions = new SessionManager();
        sessions.add(SessionConfig.builder(brokerUrl).clientId("rmqt-app-" + id).connectTimeout(CONNECT_TIMEOUT).build());
        // a route may name a session (a broker of its own in production): here every session is on the test's broker
        Set<String> named = new TreeSet<>();
        for (Route r : table.routes()) if (r.session() != null && !r.session().equals(sessions.defaultSession())) named.add(r.session());
        for (String session : named) {
            sessions.add(SessionConfig.builder(session, brokerUrl).clientId("rmqt-" + session + "-" + id).connectTimeout(CONNECT_TIMEOUT).build());
        }
        devices = new SessionManager("test");
        devices.add(SessionConfig.builder("test", brokerUrl).clientId("rmqt-pub-" + id).connectTimeout(CONNECT_TIMEOUT).build());

        Dispatcher.Builder d = Dispatcher.builder(table)
                .publisher(p -> {
                    recorder.published(p);
                    return sessions.publish(p);
                })
                .defaultSession(sessions.defaultSession())
                .listener(recorder)
                .errorHandler(recorder)
                .threadName("routemq-test-handler");
        if (!sinks.isEmpty()) d.sinks(new CapturingAppender(sinks));
        dispatcher = d.build();
        application = MqttApplication.builder(sessions).dispatcher(dispatcher).shutdownTimeout(Duration.ofSeconds(10)).build();
        boolean ok = false;
        try {
            application.start();
            devices.connectAll();
            application.awaitReady(CONNECT_TIMEOUT);
            devices.waitForAll(CONNECT_TIMEOUT);
            ok = true;
        } finally {
            if (!ok) close();
        }
        setupMillis = (System.nanoTime() - t0) / 1_000_000;
        log.info("routemq-test: {} route(s) of {} running on {} in {} ms", table.routes().size(), name, brokerUrl, setupMillis);
    }

    /** Publishes as a device and waits for the broker's acknowledgement (QoS 1 and 2). */
    void publish(Publication p) {
        try {
            devices.publish(p).get(CONNECT_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while publishing to '" + p.topic() + "'", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("could not publish to '" + p.topic() + "' on " + brokerUrl + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the broker " + brokerUrl + " did not acknowledge the publication to '" + p.topic()
                    + "' within " + Recorder.seconds(CONNECT_TIMEOUT), e);
        }
    }

    /** Lets the messages in flight finish, then forgets everything recorded (before each test). */
    void reset() throws InterruptedException {
        dispatcher.awaitIdle(Duration.ofSeconds(10));
        recorder.clear();
        sinks.values().forEach(CapturingSink::clear);
    }

    @Override
    public void close() {
        try {
            try {
                application.stop(Duration.ofSeconds(10));
            } finally {
                dispatcher.shutdown(Duration.ofSeconds(10));
                devices.disconnectAll(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String clientIdPart(String name) {
        String simple = name.substring(name.lastIndexOf('.') + 1).replaceAll("[^A-Za-z0-9_-]", "");
        return simple.length() > 24 ? simple.substring(0, 24) : simple;
    }
}
