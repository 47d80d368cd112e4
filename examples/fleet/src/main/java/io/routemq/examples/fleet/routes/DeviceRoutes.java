package io.routemq.examples.fleet.routes;

import io.routemq.examples.fleet.middleware.RequestLogging;
import io.routemq.core.Router;
import io.routemq.core.Routes;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route file: topic patterns to handlers, read like a table. RouteMQ finds it at compile time (no class path
 * scanning) and builds it with its constructor's arguments injected.
 */
@Singleton
public final class DeviceRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(DeviceRoutes.class);

    private final RequestLogging requestLogging;

    public DeviceRoutes(RequestLogging requestLogging) {
        this.requestLogging = requestLogging;
    }

    @Override
    public void define(Router router) {
        router.group("devices/{deviceId}", devices -> {
            devices.middleware(requestLogging);
            devices.on("status", ctx -> log.info("device {} is {}", ctx.param("deviceId"), ctx.text())).qos(1);
        });
    }
}
