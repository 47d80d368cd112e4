package io.routemq.examples.fleet.routes;

import io.routemq.core.MessageProperties;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import io.routemq.examples.fleet.controllers.GpsFix;
import io.routemq.examples.fleet.controllers.Trucks;
import io.routemq.examples.fleet.middleware.RequestLogging;
import io.routemq.examples.fleet.middleware.RequireToken;
import io.routemq.examples.fleet.stores.Alert;
import io.routemq.examples.fleet.stores.MemoryAlerts;
import io.routemq.examples.fleet.stores.MemoryPositions;
import io.routemq.server.app.Settings;
import io.routemq.test.HandledMessage;
import io.routemq.test.RouteMqExtension;
import io.routemq.test.RouteMqTester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The trucks' routes on the in-memory stand-ins (what the app runs on without redis: and database:): always run. */
class FleetRoutesTest {
    static final String GPS = "fleet/{fleetId}/trucks/{truckId}/gps";
    static final String ALERTS = "fleet/{fleetId}/trucks/{truckId}/alerts";
    static final Settings SETTINGS = new Settings(Map.of("FLEET_TOKEN", "s3cret", "SPEED_LIMIT_KMH", "120"));
    static final MemoryPositions positions = new MemoryPositions();
    static final MemoryAlerts alerts = new MemoryAlerts();

    @RegisterExtension
    static RouteMqExtension mq = RouteMqExtension.withRoutes(
            new FleetRoutes(new Trucks(positions, alerts, SETTINGS), new RequestLogging(), new RequireToken(SETTINGS)));

    /** A publication as a truck sends it: QoS 1, with the fleet's token. */
    static Publication truck(String topic, String json) {
        return new Publication(null, topic, json.getBytes(StandardCharsets.UTF_8), 1, false,
                MessageProperties.builder().userProperty("token", "s3cret").build());
    }

    @Test
    void threeFixesLeaveTheLastPosition(RouteMqTester mq) {
        mq.publish(truck("fleet/north/trucks/t-1/gps", "{\"lat\": 59.30, \"lon\": 18.01, \"speedKmh\": 50}"));
        mq.publish(truck("fleet/north/trucks/t-1/gps", "{\"lat\": 59.31, \"lon\": 18.02, \"speedKmh\": 60}"));
        mq.publish(truck("fleet/north/trucks/t-1/gps", "{\"lat\": 59.32, \"lon\": 18.03, \"speedKmh\": 70}"));

        mq.awaitHandled(GPS, 3);
        assertThat(positions.last("north", "t-1")).contains(new GpsFix(59.32, 18.03, 70));
        assertThat(positions.last("south", "t-1")).isEmpty();
    }

    @Test
    void speedingIsStoredAsAnAlertAndPublished(RouteMqTester mq) {
        mq.publish(truck("fleet/north/trucks/t-2/gps", "{\"lat\": 59.33, \"lon\": 18.06, \"speedKmh\": 131}"));

        assertThat(mq.awaitPublished("alerts/speeding/t-2", 1)).hasSize(1);
        assertThat(alerts.latest(1)).singleElement().satisfies(a -> {
            assertThat(a.truckId()).isEqualTo("t-2");
            assertThat(a.kind()).isEqualTo("speeding");
        });
    }

    @Test
    void aReportedAlertIsStoredThenForwardedToTheSink(RouteMqTester mq) {
        mq.publish(truck("fleet/south/trucks/t-3/alerts", "{\"kind\": \"door\", \"message\": \"rear door open\"}"));

        mq.awaitHandled(ALERTS, 1);
        assertThat(mq.sink("alerts-http").awaitReceived(1)).singleElement()
                .satisfies(e -> assertThat(e.params()).containsEntry("fleetId", "south").containsEntry("truckId", "t-3"));
        Alert stored = alerts.latest(1).get(0);
        assertThat(stored.fleetId() + " " + stored.truckId() + " " + stored.kind() + " " + stored.detail())
                .isEqualTo("south t-3 door rear door open");
    }

    @Test
    void whereAnswersWithTheLastPosition(RouteMqTester mq) {
        mq.publish(truck("fleet/north/trucks/t-4/gps", "{\"lat\": 1.5, \"lon\": 2.5, \"speedKmh\": 10}"));
        mq.awaitHandled(GPS, 1); // two topics run in parallel: "where" must not overtake the fix it asks for
        mq.publish(truck("fleet/north/trucks/t-4/where", ""));

        Publication answer = mq.awaitPublished("fleet/north/trucks/t-4/position", 1).get(0);
        assertThat(new String(answer.payload(), StandardCharsets.UTF_8)).contains("\"lat\":1.5", "\"lon\":2.5");
    }

    @Test
    void aMessageWithoutTheTokenIsFiltered(RouteMqTester mq) {
        mq.publish("fleet/north/trucks/t-5/gps", "{\"lat\": 9, \"lon\": 9, \"speedKmh\": 9}");   // no token
        mq.publish(truck("fleet/north/trucks/t-5/gps", "{\"lat\": 1, \"lon\": 1, \"speedKmh\": 1}"));

        mq.awaitHandled(GPS, 1);
        List<Outcome> outcomes = mq.handled(GPS).stream().map(HandledMessage::outcome).toList();
        assertThat(outcomes).containsExactly(Outcome.FILTERED, Outcome.HANDLED);
        assertThat(positions.last("north", "t-5")).contains(new GpsFix(1, 1, 1));
    }
}
