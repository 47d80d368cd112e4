package io.routemq.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Options of one route, returned by {@link Router#on(String, Handler)} and {@link Router#forward(String)}. Every method returns this builder, so a
 * route reads as one line: {@code router.on("sensors/{deviceId}/data", devices::data).qos(1);}
 * Like the {@link Router}, a route builder refuses changes ({@link IllegalStateException}) once the router is built.
 */
public final class RouteBuilder {
    final TopicPattern pattern;
    final Handler handler;
    final Router scope;
    final int index;
    String name;
    int qos = 0;
    String sharedGroup;
    int workers = 1;
    final List<Middleware> middleware = new ArrayList<>();
    final List<TopicPattern> excludes = new ArrayList<>();
    final List<String> sinks = new ArrayList<>();
    boolean fanout;
    boolean ordered = true;
    boolean nonBlocking;
    ErrorPolicy errorPolicy = ErrorPolicy.ack();
    String session;
    String source;

    RouteBuilder(TopicPattern pattern, Handler handler, Router scope, int index) {
        this.pattern = pattern;
        this.handler = handler;
        this.scope = scope;
        this.index = index;
    }

    /** The subscription QoS, 0 to 2 (default 0). */
    public RouteBuilder qos(int qos) {
        scope.checkOpen();
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("route '" + pattern + "': qos must be 0, 1 or 2, got " + qos);
        }
        this.qos = qos;
        return this;
    }

    /** Adds middleware that runs after the global and group middleware, in the order given. */
    public RouteBuilder middleware(Middleware... mw) {
        scope.checkOpen();
        for (Middleware m : mw) middleware.add(Objects.requireNonNull(m, "middleware"));
        return this;
    }

    /**
     * Receives through a shared subscription {@code $share/<group>/<filter>} with {@code workers} subscriber
     * connections, so that several processes (or workers in one) share the load.
     */
    public RouteBuilder shared(String group, int workers) {
        scope.checkOpen();
        Objects.requireNonNull(group, "group");
        if (group.isEmpty() || group.contains("/") || group.contains("+") || group.contains("#")) {
            throw new IllegalArgumentException("route '" + pattern + "': shared group name '" + group
                    + "' must be non-empty and must not contain '/', '+' or '#'");
        }
        if (workers < 1) throw new IllegalArgumentException("route '" + pattern + "': workers must be at least 1, got " + workers);
        this.sharedGroup = group;
        this.workers = workers;
        return this;
    }

    /**
     * Forwards the message to these sinks: after the middleware and the handler (if any) have finished, the message
     * is appended to each sink's durable queue, and it is acknowledged only once every append is durable. The sinks
     * are named as the {@link io.routemq.core.sink.SinkAppender} given to the dispatcher knows them (in the gateway,
     * the names under {@code sinks:} in the config).
     */
    public RouteBuilder to(String... sinkNames) {
        scope.checkOpen();
        for (String s : sinkNames) {
            Objects.requireNonNull(s, "sink");
            if (s.isBlank()) throw new IllegalArgumentException("route '" + pattern + "': a sink name must not be blank");
            if (sinks.contains(s)) throw new IllegalArgumentException("route '" + pattern + "': sink '" + s + "' is named twice");
            sinks.add(s);
        }
        return this;
    }

    /** Skips topics that match any of these patterns (MQTT filter syntax; parameters allowed). */
    public RouteBuilder exclude(String... patterns) {
        scope.checkOpen();
        for (String p : patterns) excludes.add(TopicPattern.parse(p));
        return this;
    }

    /** Names the route (used in logs and metrics). Default: its full pattern. */
    public RouteBuilder name(String name) {
        scope.checkOpen();
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("route '" + pattern + "': name must not be blank");
        this.name = name;
        return this;
    }

    /**
     * Delivers every matching message to this route, even when a more specific route matches too. Without it, only
     * the most specific matching route receives a message.
     */
    public RouteBuilder fanout() {
        scope.checkOpen();
        this.fanout = true;
        return this;
    }

    /** Handles messages of one topic concurrently instead of in arrival order. */
    public RouteBuilder unordered() {
        scope.checkOpen();
        this.ordered = false;
        return this;
    }

    /**
     * Declares that the route's handler and middleware never block (no I/O that waits, no sleep, no lock held long;
     * returning a future, as {@link Context#publish} does, is fine), so the dispatcher may run them on the thread that
     * received the message, the MQTT client's event loop, instead of handing the message to its topic's lane thread.
     * Order within a topic is kept: a message whose topic has a lane running (a slower route's message, say) queues
     * behind it. A message runs there only when every route it matches is non-blocking. It saves the hand-off between
     * threads, which costs more than a short handler: 38-45% of the framework path's CPU per message at QoS 0 in the
     * end-to-end bench (docs/performance.md). A handler that blocks here holds back every message of its session; a
     * retry must not pause ({@link #onError}: the route is refused at build when its error policy
     * {@link ErrorPolicy#pauses() pauses}).
     */
    public RouteBuilder nonBlocking() {
        scope.checkOpen();
        this.nonBlocking = true;
        return this;
    }

    /** What to do when the chain throws (default {@link ErrorPolicy#ack()}). */
    public RouteBuilder onError(ErrorPolicy policy) {
        scope.checkOpen();
        this.errorPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Shorthand for {@code onError(ErrorPolicy.retry(attempts, backoff))}. */
    public RouteBuilder retry(int attempts, Duration backoff) {
        return onError(ErrorPolicy.retry(attempts, backoff));
    }

    /** Subscribes on a named session instead of the default one. */
    public RouteBuilder session(String session) {
        scope.checkOpen();
        this.session = Objects.requireNonNull(session, "session");
        return this;
    }

    /**
     * Labels where the route was defined, for listings such as {@code routemq routes}: the code generated for a
     * controller sets {@code com.acme.Telemetry#gps}. Default: none.
     */
    public RouteBuilder source(String source) {
        scope.checkOpen();
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    Route build() {
        if (handler == null && sinks.isEmpty()) {
            throw new IllegalStateException("route '" + pattern + "' is registered with forward() but names no sink: add"
                    + " .to(\"sink\")");
        }
        List<Middleware> chain = scope.builtChain();
        if (!middleware.isEmpty()) {
            chain = new ArrayList<>(chain);
            chain.addAll(middleware);
        }
        return new Route(index, name != null ? name : pattern.pattern(), pattern, handler, chain, sinks, qos, sharedGroup,
                workers, excludes, fanout, ordered, errorPolicy, session, source, nonBlocking);
    }

    @Override
    public String toString() {
        return "RouteBuilder[" + pattern + "]" + (excludes.isEmpty() ? "" : " exclude " + Arrays.toString(excludes.toArray()));
    }
}
