package io.routemq.server.config;

import io.routemq.core.Handler;
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
 * Turns a config's routes into core {@link RouteTable}s, one per broker session, so that a message received on one
 * session is only ever matched against that session's routes. Disabled routes are left out. Regex excludes and
 * filters are not part of a core route: the gateway applies them in the route's handler or middleware.
 */
public final class RoutePlan {
    private RoutePlan() {
    }

    /**
     * Builds one route table per session that has active routes, in the order of {@link GatewayConfig#sessionNames()}.
     *
     * @param handlers the handler for each route (the gateway's sink step)
     */
    public static Map<String, RouteTable> tables(GatewayConfig config, Function<RouteConfig, Handler> handlers) {
        Map<String, Router> routers = new LinkedHashMap<>();
        for (String s : config.sessionNames()) routers.put(s, Router.create());
        for (RouteConfig r : config.activeRoutes()) {
            Router router = routers.computeIfAbsent(r.broker(), k -> Router.create());
            RouteBuilder b = router.on(r.topic(), handlers.apply(r)).name(r.name()).qos(r.qos()).session(r.broker());
            if (r.shared() != null) b.shared(r.shared().group(), r.shared().workers());
            if (!r.exclude().isEmpty()) b.exclude(r.exclude().toArray(String[]::new));
            if (r.fanout()) b.fanout();
        }
        Map<String, RouteTable> out = new LinkedHashMap<>();
        routers.forEach((session, router) -> {
            RouteTable t = router.build();
            if (t.size() > 0) out.put(session, t);
        });
        return Collections.unmodifiableMap(out);
    }

    /** The MQTT subscriptions each session needs (shared ones without the share prefix; see {@link Subscription}). */
    public static Map<String, List<Subscription>> subscriptions(GatewayConfig config) {
        Map<String, List<Subscription>> out = new LinkedHashMap<>();
        tables(config, r -> ctx -> { }).forEach((s, t) -> out.put(s, t.subscriptions()));
        return Collections.unmodifiableMap(out);
    }
}
