package io.routemq.examples.fleet.controllers;

import io.routemq.server.app.Settings;
import io.routemq.test.RouteMqExtension;
import io.routemq.test.RouteMqTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The controller's routes on an in-process MQTT broker (the testing kit, routemq-test). */
class TelemetryControllerTest {

    @RegisterExtension
    static RouteMqExtension mq = RouteMqExtension.withRoutes(
            new TelemetryController_Routes(new TelemetryController(new Settings(Map.of("ALERT_ABOVE", "40")))));

    @Test
    void aHighReadingRaisesAnAlert(RouteMqTester mq) {
        mq.publish("sensors/d1/data", "{\"temp\": 42.5}");
        mq.publish("sensors/d2/data", "{\"temp\": 21.0}");

        mq.awaitHandled("sensors/{deviceId}/data", 2);
        assertEquals(1, mq.awaitPublished("alerts/+/high", 1).size());
    }
}
