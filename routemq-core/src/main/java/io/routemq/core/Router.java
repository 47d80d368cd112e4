package io.routemq.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Defines routes, Laravel style: patterns with named parameters bound to handlers, sinks or both, groups with a
 * prefix and middleware, and middleware chains. When all routes are defined, {@link #build()} compiles an immutable
 * {@link RouteTable}.
 * <pre>{@code
 * Router router = Router.create();
 * router.middleware(new RequestLogging());
 * router.on("sensors/{deviceId}/data", devices::data).qos(1);
 * router.on("plant/{line}/telemetry", telemetry::record).to("ingest");   // runs code, then forwards durably
 * router.forward("plant/#").to("ingest", "archive");                     // forwards only
 * router.group("fleet/{fleetId}", fleet -> fleet.middleware(auth).on("trucks/{truckId}/gps", trucks::gps));
 * RouteTable table = router.build();
 * }</pre>
 *
 * <p>Middleware added to a router or group applies to every route of that scope, including routes registered
 * before it. A Router is not thread-safe; define routes from one thread, then share the built table.
 */
public final class Router {
    private final Router parent;
    private final String prefix;
    private final List<Middleware> middleware = new ArrayList<>();
    private final List<RouteBuilder> routes;
    private boolean built;
    /** {@link #builtChain()}, made on first use during {@link #build()}. */
    private List<Middleware> builtChain;

    private Router(Router parent, String prefix, List<RouteBuilder> routes) {
        this.parent = parent;
        this.prefix = prefix;
        this.routes = routes;
    }

    /** A new, empty root router. */
    public static Router create() {
        return new Router(null, "", new ArrayList<>());
    }

    /** A root router with the given route files defined on it, in order. */
    public static Router of(Routes... files) {
        Router router = create();
        for (Routes f : files) f.define(router);
        return router;
    }

    /** Adds middleware for every route of this router or group. */
    public Router middleware(Middleware... mw) {
        checkOpen();
        for (Middleware m : mw) middleware.add(Objects.requireNonNull(m, "middleware"));
        return this;
    }

    /**
     * Registers a route. The pattern is joined to the group prefixes with {@code /} and validated now.
     *
     * @throws InvalidPatternException if the full pattern is invalid
     */
    public RouteBuilder on(String pattern, Handler handler) {
        checkOpen();
        Objects.requireNonNull(handler, "handler");
        TopicPattern full = TopicPattern.parse(join(prefix, Objects.requireNonNull(pattern, "pattern")));
        RouteBuilder b = new RouteBuilder(full, handler, this, routes.size());
        routes.add(b);
        return b;
    }

    /**
     * Registers a route without code that forwards to sinks: {@code router.forward("plant/#").to("ingest", "archive")}.
     * It may still have middleware (filters, rate limits); a route that names no sink fails at {@link #build()}.
     *
     * @throws InvalidPatternException if the full pattern is invalid
     */
    public RouteBuilder forward(String pattern) {
        checkOpen();
        TopicPattern full = TopicPattern.parse(join(prefix, Objects.requireNonNull(pattern, "pattern")));
        RouteBuilder b = new RouteBuilder(full, null, this, routes.size());
        routes.add(b);
        return b;
    }

    /** Registers a route on a route file's method reference or lambda; same as {@link #on(String, Handler)}. */
    public RouteBuilder route(String pattern, Handler handler) {
        return on(pattern, handler);
    }

    /**
     * Defines a group: its routes get {@code prefix} in front of their patterns and the group's middleware in
     * front of their own. Groups nest.
     *
     * @throws InvalidPatternException if the prefix is not a valid pattern, or ends with a multi-level wildcard
     */
    public Router group(String prefix, Consumer<Router> definition) {
        checkOpen();
        Objects.requireNonNull(definition, "definition");
        String joined = join(this.prefix, Objects.requireNonNull(prefix, "prefix"));
        if (!joined.isEmpty()) {
            TopicPattern p = TopicPattern.parse(joined);
            if (p.isMultiLevel()) {
                throw new InvalidPatternException(joined, joined.lastIndexOf('/') + 2,
                        "a group prefix cannot end with '#' or '{name...}': nothing could follow it");
            }
        }
        Router group = new Router(this, joined, routes);
        definition.accept(group);
        return this;
    }

    /** The prefix of this router: empty for the root. */
    public String prefix() {
        return prefix;
    }

    /**
     * Compiles the routes into an immutable table.
     *
     * @throws IllegalStateException if called on a group, or if two routes share an explicit name
     */
    public RouteTable build() {
        if (parent != null) throw new IllegalStateException("build() is called on the root router, not on group '" + prefix + "'");
        built = true;
        List<Route> out = new ArrayList<>(routes.size());
        Map<String, Route> named = new HashMap<>();
        for (RouteBuilder b : routes) {
            Route r = b.build();
            if (b.name != null) {
                Route prev = named.putIfAbsent(r.name(), r);
                if (prev != null) {
                    throw new IllegalStateException("route name '" + r.name() + "' is used twice: by '" + prev.pattern()
                            + "' and by '" + r.pattern() + "'; names must be unique");
                }
            }
            out.add(r);
        }
        return new RouteTable(out);
    }

    /**
     * The middleware of this scope's routes without middleware of their own, once the router is built: one immutable
     * list that all of them share (a list per route cost 24 bytes each in a table of 10k routes).
     */
    List<Middleware> builtChain() {
        if (builtChain == null) builtChain = List.copyOf(effectiveMiddleware());
        return builtChain;
    }

    List<Middleware> effectiveMiddleware() {
        if (parent == null) return middleware;
        List<Middleware> all = new ArrayList<>(parent.effectiveMiddleware());
        all.addAll(middleware);
        return all;
    }

    void checkOpen() {
        Router root = this;
        while (root.parent != null) root = root.parent;
        if (root.built) throw new IllegalStateException("routes cannot be changed after build()");
    }

    private static String join(String prefix, String pattern) {
        if (prefix.isEmpty()) return pattern;
        if (pattern.isEmpty()) return prefix;
        return prefix.endsWith("/") ? prefix + pattern : prefix + "/" + pattern;
    }
}
