package io.routemq.test;

import io.routemq.core.MessageProperties;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import io.routemq.core.Route;
import io.routemq.core.RouteTable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A test's handle on its running routes: publish as a device would, wait until routes have handled messages, and
 * read what the handlers published and what each sink received. {@link RouteMqExtension} injects it into test
 * methods (and {@code @BeforeEach}/{@code @BeforeAll} methods). Everything recorded is forgotten before each test,
 * after the messages still in flight have finished.
 *
 * <p>The {@code await...} methods wait at most the class's timeout ({@link RouteMqTest#awaitSeconds()}, 10 s by
 * default) and then fail with an {@link AssertionError} that lists what did happen.
 */
public final class RouteMqTester {
    private final TestApp app;
    private final Duration awaitTimeout;

    RouteMqTester(TestApp app, Duration awaitTimeout) {
        this.app = app;
        this.awaitTimeout = awaitTimeout;
    }

    /** Publishes UTF-8 text at QoS 1 and returns once the broker has acknowledged it. */
    public void publish(String topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1);
    }

    /** Publishes bytes at QoS 1 and returns once the broker has acknowledged it. */
    public void publish(String topic, byte[] payload) {
        publish(topic, payload, 1);
    }

    /** Publishes at the given QoS; at QoS 1 and 2 it returns once the broker has acknowledged it. */
    public void publish(String topic, byte[] payload, int qos) {
        publish(new Publication(null, topic, payload, qos, false, MessageProperties.NONE));
    }

    /**
     * Publishes with every option: QoS, retain and MQTT 5 properties (user properties, content type, response
     * topic, correlation data). The session named in the publication is ignored: test messages come from the kit's
     * own device session.
     */
    public void publish(Publication publication) {
        app.publish(publication.onSession(null));
    }

    /**
     * Waits until the route has handled {@code n} messages (outcome {@link Outcome#HANDLED}, which for a route that
     * forwards means durably handed to its sinks) and returns every message it handled so far.
     *
     * @param route the route's name or full pattern, e.g. {@code "sensors/{deviceId}/data"}
     * @throws AssertionError when it handled fewer in time; the message lists what every route did instead
     * @throws IllegalArgumentException when no route has that name or pattern
     */
    public List<HandledMessage> awaitHandled(String route, int n) {
        return awaitHandled(route, n, awaitTimeout);
    }

    /** Same as {@link #awaitHandled(String, int)} with its own timeout. */
    public List<HandledMessage> awaitHandled(String route, int n, Duration timeout) {
        return app.recorder.awaitHandled(routeName(route), n, timeout);
    }

    /** What every route did since the test started (handled, filtered, failed, unmatched), in order. */
    public List<HandledMessage> handled() {
        return app.recorder.handled(h -> true);
    }

    /** What one route (by name or pattern) did since the test started. */
    public List<HandledMessage> handled(String route) {
        String name = routeName(route);
        return app.recorder.handled(h -> name.equals(h.route()));
    }

    /** Everything the handlers published since the test started (replies included), in order. */
    public List<Publication> published() {
        return app.recorder.published(p -> true);
    }

    /**
     * Waits until the handlers have published {@code n} messages to topics matching the MQTT filter and returns
     * them all.
     *
     * @param topicFilter a topic or an MQTT filter with {@code +} and {@code #}
     * @throws AssertionError when fewer were published in time; the message lists what was published instead
     */
    public List<Publication> awaitPublished(String topicFilter, int n) {
        return awaitPublished(topicFilter, n, awaitTimeout);
    }

    /** Same as {@link #awaitPublished(String, int)} with its own timeout. */
    public List<Publication> awaitPublished(String topicFilter, int n, Duration timeout) {
        return app.recorder.awaitPublished(topicFilter, n, timeout);
    }

    /**
     * The capturing sink standing for a sink the routes forward to.
     *
     * @throws IllegalArgumentException when no route forwards to it and it was not declared
     */
    public CapturingSink sink(String name) {
        CapturingSink sink = app.sinks.get(Objects.requireNonNull(name, "name"));
        if (sink == null) {
            throw new IllegalArgumentException("no sink '" + name + "': the routes forward to " + (app.sinks.isEmpty() ? "no sink"
                    : app.sinks.keySet().stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ")))
                    + "; declare others with @RouteMqTest(sinks = ...)");
        }
        return sink;
    }

    /** The routes under test. */
    public RouteTable routes() {
        return app.table;
    }

    /** The broker the routes run on ({@code mqtt://host:port}). */
    public String brokerUrl() {
        return app.brokerUrl;
    }

    /** Waits for the messages in flight, then forgets what was recorded; the kit calls it before each test. */
    public void reset() {
        try {
            app.reset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while resetting", e);
        }
    }

    private String routeName(String routeOrPattern) {
        Objects.requireNonNull(routeOrPattern, "route");
        for (Route r : app.table.routes()) {
            if (r.name().equals(routeOrPattern)) return r.name();
        }
        for (Route r : app.table.routes()) {
            if (r.pattern().pattern().equals(routeOrPattern)) return r.name();
        }
        TreeSet<String> known = new TreeSet<>();
        for (Route r : app.table.routes()) known.add(r.name().equals(r.pattern().pattern()) ? "'" + r.name() + "'"
                : "'" + r.name() + "' (" + r.pattern().pattern() + ")");
        throw new IllegalArgumentException("no route named or with the pattern '" + routeOrPattern + "'; the routes are "
                + String.join(", ", known));
    }
}
