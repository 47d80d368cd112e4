package io.routemq.examples.fleet;

import io.routemq.core.Context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A controller: truck positions and alerts. Plain blocking code; each call runs on a virtual thread. */
public final class Trucks {
    private final Map<String, GpsFix> lastFix = new ConcurrentHashMap<>();
    private final Journal journal;

    /** A controller writing what it does to the journal. */
    public Trucks(Journal journal) {
        this.journal = journal;
    }

    void gps(Context ctx) {
        GpsFix fix = ctx.json(GpsFix.class);
        String truck = ctx.param("fleetId") + "/" + ctx.param("truckId");
        lastFix.put(truck, fix);
        journal.add("gps    truck " + truck + " at " + fix.lat() + "," + fix.lon() + " " + fix.speedKmh() + " km/h");
        if (fix.speedKmh() > 120) {
            ctx.publish("alerts/speeding/" + ctx.param("truckId"), fix);
        }
    }

    void alert(Context ctx) {
        journal.add("alert  truck " + ctx.param("truckId") + " of fleet " + ctx.param("fleetId") + ": " + ctx.text());
    }

    /** The last known position of each truck. */
    public Map<String, GpsFix> lastFix() {
        return Map.copyOf(lastFix);
    }
}
