package io.routemq.examples.fleet.stores;

import io.routemq.examples.fleet.controllers.GpsFix;
import io.routemq.redis.RedisConnections;
import tools.jackson.databind.json.JsonMapper;

import java.util.Objects;
import java.util.Optional;

/**
 * The last positions in Redis: one hash per fleet, {@code <prefix>:<fleetId>:positions}, whose fields are the truck
 * ids and whose values are the last fix as JSON ({@code HGET fleet:north:positions t-9}).
 */
public final class RedisPositions implements Positions {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedisConnections redis;
    private final String prefix;

    /**
     * @param redis  the app's Redis connections
     * @param prefix the first part of the keys ({@code fleet} in the app; tests use one of their own)
     */
    public RedisPositions(RedisConnections redis, String prefix) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** The hash holding the fleet's positions. */
    public String key(String fleetId) {
        return prefix + ":" + fleetId + ":positions";
    }

    @Override
    public void save(String fleetId, String truckId, GpsFix fix) {
        redis.shared().sync().hset(key(fleetId), truckId, JSON.writeValueAsString(fix));
    }

    @Override
    public Optional<GpsFix> last(String fleetId, String truckId) {
        String json = redis.shared().sync().hget(key(fleetId), truckId);
        return json == null ? Optional.empty() : Optional.of(JSON.readValue(json, GpsFix.class));
    }

    @Override
    public String describe() {
        return "Redis hash " + prefix + ":{fleetId}:positions on " + redis.config().redactedUri();
    }
}
