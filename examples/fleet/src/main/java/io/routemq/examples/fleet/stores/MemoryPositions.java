package io.routemq.examples.fleet.stores;

import io.routemq.examples.fleet.controllers.GpsFix;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory stand-in for {@link RedisPositions}: a map, lost when the app stops. */
public final class MemoryPositions implements Positions {
    private final Map<String, GpsFix> last = new ConcurrentHashMap<>();

    @Override
    public void save(String fleetId, String truckId, GpsFix fix) {
        last.put(fleetId + "/" + truckId, fix);
    }

    @Override
    public Optional<GpsFix> last(String fleetId, String truckId) {
        return Optional.ofNullable(last.get(fleetId + "/" + truckId));
    }

    @Override
    public String describe() {
        return "in memory (a map, lost at stop)";
    }
}
