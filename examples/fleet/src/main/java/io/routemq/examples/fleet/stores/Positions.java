package io.routemq.examples.fleet.stores;

import io.routemq.examples.fleet.controllers.GpsFix;

import java.util.Optional;

/**
 * The last known position of each truck: in Redis when the config has a {@code redis:} section, in memory otherwise
 * ({@link Stores} chooses).
 */
public interface Positions {

    /** Keeps {@code fix} as the last position of the truck. */
    void save(String fleetId, String truckId, GpsFix fix);

    /** The last position of the truck, or empty when it has reported none. */
    Optional<GpsFix> last(String fleetId, String truckId);

    /** Where the positions are kept, for the log line at start. */
    String describe();
}
