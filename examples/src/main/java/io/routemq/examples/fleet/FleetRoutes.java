package io.routemq.examples.fleet;

import io.routemq.core.Router;
import io.routemq.core.Routes;

/**
 * The example route file: reads like a table, as the Python RouteMQ's does.
 */
public final class FleetRoutes implements Routes {
    private final Trucks trucks;
    private final Devices devices;
    private final RequireToken auth;

    /** Route file with its controllers and middleware injected. */
    public FleetRoutes(Trucks trucks, Devices devices, RequireToken auth) {
        this.trucks = trucks;
        this.devices = devices;
        this.auth = auth;
    }

    @Override
    public void define(Router router) {
        router.middleware(new RequestLogging());
        router.on("sensors/{deviceId}/data", devices::data).qos(1);
        router.on("sensors/+/status", devices::status).exclude("sensors/test/status");
        router.group("fleet/{fleetId}", fleet -> {
            fleet.middleware(auth);
            fleet.on("trucks/{truckId}/gps", trucks::gps).shared("gps", 3);
            fleet.on("trucks/{truckId}/alerts", trucks::alert).qos(2);
        });
        router.on("archive/{path...}", devices::archive).fanout();
    }
}
