package io.routemq.examples.fleet.controllers;

import io.routemq.core.Context;
import io.routemq.examples.fleet.stores.Alert;
import io.routemq.examples.fleet.stores.Alerts;
import io.routemq.examples.fleet.stores.Positions;
import io.routemq.server.app.Settings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * The trucks' handlers, routed by {@code FleetRoutes}: plain blocking code, each call on a virtual thread. The
 * stores are injected: Redis and SQL when configured, in-memory stand-ins otherwise ({@code Stores}).
 */
@Singleton
public final class Trucks {
    private static final Logger log = LoggerFactory.getLogger(Trucks.class);

    private final Positions positions;
    private final Alerts alerts;
    private final double speedLimitKmh;

    /** {@code SPEED_LIMIT_KMH} (default 120) comes from the environment or the app's .env file. */
    public Trucks(Positions positions, Alerts alerts, Settings settings) {
        this.positions = positions;
        this.alerts = alerts;
        this.speedLimitKmh = settings.getInt("SPEED_LIMIT_KMH", 120);
    }

    /** {@code fleet/{fleetId}/trucks/{truckId}/gps}: keeps the last position; above the limit, an alert. */
    public void gps(Context ctx) {
        GpsFix fix = ctx.json(GpsFix.class);
        String fleet = ctx.param("fleetId");
        String truck = ctx.param("truckId");
        positions.save(fleet, truck, fix);
        log.info("truck {}/{} at {},{} {} km/h", fleet, truck, fix.lat(), fix.lon(), fix.speedKmh());
        if (fix.speedKmh() > speedLimitKmh) {
            record(fleet, truck, "speeding", fix.speedKmh() + " km/h at " + fix.lat() + "," + fix.lon());
            ctx.publish("alerts/speeding/" + truck, fix);
        }
    }

    /** {@code fleet/{fleetId}/trucks/{truckId}/alerts}: stores the alert the truck reports. */
    public void alert(Context ctx) {
        AlertReport report = ctx.json(AlertReport.class);
        record(ctx.param("fleetId"), ctx.param("truckId"), report.kind() == null ? "other" : report.kind(),
                report.message() == null ? "" : report.message());
    }

    /** {@code fleet/{fleetId}/trucks/{truckId}/where}: publishes the last position on {@code .../position}. */
    public void where(Context ctx) {
        String fleet = ctx.param("fleetId");
        String truck = ctx.param("truckId");
        var last = positions.last(fleet, truck);
        log.info("truck {}/{} was last seen {}", fleet, truck, last.map(f -> "at " + f.lat() + "," + f.lon()).orElse("never"));
        String topic = "fleet/" + fleet + "/trucks/" + truck + "/position";
        if (last.isPresent()) {
            ctx.publish(topic, last.get());
        } else {
            ctx.publish(topic, "{}");
        }
    }

    private void record(String fleet, String truck, String kind, String detail) {
        alerts.record(new Alert(UUID.randomUUID().toString(), fleet, truck, kind, detail, System.currentTimeMillis()));
        log.info("alert {} for truck {}/{}: {}", kind, fleet, truck, detail);
    }
}
