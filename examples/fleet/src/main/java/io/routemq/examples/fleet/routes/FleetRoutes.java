package io.routemq.examples.fleet.routes;

import io.routemq.examples.fleet.controllers.Trucks;
import io.routemq.examples.fleet.middleware.RequestLogging;
import io.routemq.examples.fleet.middleware.RequireToken;
import io.routemq.core.Router;
import io.routemq.core.Routes;
import jakarta.inject.Singleton;

/**
 * The trucks' routes: one group with its middleware. GPS is not a shared subscription: the last position needs one
 * truck's fixes in order, which MQTT does not keep across the members of a share group (the device telemetry,
 * where order does not matter, is shared: {@code TelemetryController}). Alerts go to the handler, then durably to
 * the {@code alerts-http} sink of routemq.yaml: the message is acknowledged once both are done.
 */
@Singleton
public final class FleetRoutes implements Routes {
    private final Trucks trucks;
    private final RequestLogging requestLogging;
    private final RequireToken requireToken;

    /** The route file with its handlers and middleware injected. */
    public FleetRoutes(Trucks trucks, RequestLogging requestLogging, RequireToken requireToken) {
        this.trucks = trucks;
        this.requestLogging = requestLogging;
        this.requireToken = requireToken;
    }

    @Override
    public void define(Router router) {
        router.group("fleet/{fleetId}/trucks/{truckId}", truck -> {
            truck.middleware(requestLogging, requireToken);
            truck.on("gps", trucks::gps).qos(1);
            truck.on("alerts", trucks::alert).qos(1).to("alerts-http");
            truck.on("where", trucks::where);
        });
    }
}
