package io.routemq.examples.fleet.controllers;

import io.routemq.core.Context;
import io.routemq.core.annotation.Controller;
import io.routemq.core.annotation.Param;
import io.routemq.core.annotation.Shared;
import io.routemq.core.annotation.Topic;
import io.routemq.server.app.Settings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller: each {@code @Topic} method is a route; its arguments are bound by generated code (a topic parameter,
 * the JSON payload as a record, the {@link Context}). The devices' readings come in on a shared subscription: two
 * connections of the share group {@code telemetry} split them (order across devices does not matter here;
 * {@code MQTT_GROUP_NAME} and {@code WORKER_COUNT} override the group and the count).
 */
@Controller
@Singleton
public final class TelemetryController {
    private static final Logger log = LoggerFactory.getLogger(TelemetryController.class);

    private final double alertAbove;

    /** {@code ALERT_ABOVE} comes from the environment or the app's .env file. */
    public TelemetryController(Settings settings) {
        this.alertAbove = Double.parseDouble(settings.get("ALERT_ABOVE", "40"));
    }

    @Topic(value = "sensors/{deviceId}/data", qos = 1)
    @Shared(value = "telemetry", workers = 2)
    public void data(@Param String deviceId, Reading reading, Context ctx) {
        log.info("device {} reads {} °C", deviceId, reading.temp());
        if (reading.temp() > alertAbove) {
            ctx.publish("alerts/" + deviceId + "/high", "{\"temp\":" + reading.temp() + "}");
        }
    }
}
