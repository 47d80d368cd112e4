package io.routemq.examples.fleet.stores;

import java.util.Objects;

/**
 * One stored alert, a row of the {@code alerts} table.
 *
 * @param id       unique id (a UUID)
 * @param fleetId  the fleet
 * @param truckId  the truck
 * @param kind     what kind of alert: what the truck reported, or {@code speeding}
 * @param detail   the text of the alert
 * @param atMillis when it was stored, epoch milliseconds
 */
public record Alert(String id, String fleetId, String truckId, String kind, String detail, long atMillis) {
    /** Checks the fields. */
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fleetId, "fleetId");
        Objects.requireNonNull(truckId, "truckId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
