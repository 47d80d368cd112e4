package io.routemq.server.config;

import io.routemq.core.Middleware;
import io.routemq.core.RouteBuilder;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.Subscription;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a config's routes into core routes: each is a route without code that forwards to its sinks
 * ({@code router.forward(topic).to(sinks)}), bound to its broker session, with the route's filters as its
 * middleware. The gateway runs them on the same dispatcher as code routes. Disabled routes are left out.
 */
public final class RoutePlan {
    private RoutePlan() {
    }

    /**
     * A router holding every active config route, on its session: the gateway adds the application's code routes
     * (if any) and builds the one table it runs.
     *
     * @param middleware the middleware of each route (its filters and {@code middleware:}), in run order
     */
    public static Router router(GatewayConfig config, Function<RouteConfig, List<Middleware>> middleware) {
        Router router = Router.create();
        for (RouteConfig r : config.activeRoutes()) define(router, r, middleware.apply(r));
        return router;
    }

    /**
     * The routes of each session that has active routes, in the order of {@link GatewayConfig#sessionNames()}: what
     * a message received on that session is matched against (for {@code routemq routes}).
     */
    public static Map<String, RouteTable> tables(GatewayConfig config) {
        Map<String, Router> routers = new LinkedHashMap<>();
        for (String s : config.sessionNames()) routers.put(s, Router.create());
        for (RouteConfig r : config.activeRoutes()) define(routers.computeIfAbsent(r.broker(), k -> Router.create()), r, List.of());
        Map<String, RouteTable> out = new LinkedHashMap<>();
        routers.forEach((session, router) -> {
            RouteTable t = router.build();
            if (t.size() > 0) out.put(session, t);
        });
        return Collections.unmodifiableMap(out);
    }

    private static void define(Router router, RouteConfig r, List<Middleware> middleware) {
        RouteBuilder b = router.forward(r.topic()).to(r.to().toArray(String[]::new)).name(r.name()).qos(r.qos()).session(r.broker());
        if (!middleware.isEmpty()) b.middleware(middleware.toArray(Middleware[]::new));
        // a forwarding route runs no code of its own: where its middleware never block either, it runs on the thread
        // that received the message, as one without middleware does, instead of handing each message to a lane thread
        if (!middleware.isEmpty() && middleware.stream().allMatch(Middleware::nonBlocking)) b.nonBlocking();
        if (r.shared() != null) b.shared(r.shared().group(), r.shared().workers());
        if (!r.exclude().isEmpty()) b.exclude(r.exclude().toArray(String[]::new));
        if (r.fanout()) b.fanout();
    }

    /** The MQTT subscriptions each session needs (shared ones without the share prefix; see {@link Subscription}). */
    public static Map<String, List<Subscription>> subscriptions(GatewayConfig config) {
        Map<String, List<Subscription>> out = new LinkedHashMap<>();
        tables(config).forEach((s, t) -> out.put(s, t.subscriptions()));
        return Collections.unmodifiableMap(out);
    }
}
