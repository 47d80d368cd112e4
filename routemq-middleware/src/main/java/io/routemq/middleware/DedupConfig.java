package io.routemq.middleware;

import java.time.Duration;
import java.util.Objects;

/**
 * The options of {@link Dedup}: the schema of a config route's {@code dedup:} middleware.
 *
 * @param userProperty the MQTT 5 user property that identifies a message (a message id the publisher sets), or null
 *                     to identify a message by a SHA-256 hash of its topic and payload ({@code key: payload})
 * @param ttl          how long a message is remembered (default 5 min)
 * @param store        where it is remembered (default {@link Store#LOCAL})
 * @param maxKeys      how many messages the local store remembers (default 100,000); the oldest are forgotten first
 * @param scope        the name that separates this dedup's Redis keys from others' (default {@code default}; a config
 *                     route uses its route name)
 * @param redisTimeout how long one Redis call may take before the dedup falls back to local (default 250 ms)
 * @param redisRetry   how long it stays local after Redis failed (default 1 s)
 */
public record DedupConfig(String userProperty, Duration ttl, Store store, int maxKeys, String scope, Duration redisTimeout,
                          Duration redisRetry) {

    /** Validates; messages name the key as written under {@code dedup:}. */
    public DedupConfig {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(redisTimeout, "redisTimeout");
        Objects.requireNonNull(redisRetry, "redisRetry");
        if (userProperty != null && userProperty.isBlank()) {
            throw new IllegalArgumentException("key: userProperty needs a name, as in userProperty.msgId");
        }
        if (ttl.toMillis() < 1) throw new IllegalArgumentException("ttl: must be at least 1ms, got " + ttl);
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys: must be at least 1, got " + maxKeys);
        if (scope.isBlank()) throw new IllegalArgumentException("scope: must not be empty");
        if (redisTimeout.isNegative() || redisTimeout.isZero()) throw new IllegalArgumentException("redisTimeout: must be positive");
        if (redisRetry.isNegative() || redisRetry.isZero()) throw new IllegalArgumentException("redisRetry: must be positive");
    }

    /** @param name the user property @param ttl how long to remember @return local options keyed by the property */
    public static DedupConfig byUserProperty(String name, Duration ttl) {
        return new DedupConfig(Objects.requireNonNull(name, "name"), ttl, Store.LOCAL, 100_000, "default",
                Duration.ofMillis(250), Duration.ofSeconds(1));
    }

    /** @param ttl how long to remember @return local options keyed by a hash of topic and payload */
    public static DedupConfig byPayload(Duration ttl) {
        return new DedupConfig(null, ttl, Store.LOCAL, 100_000, "default", Duration.ofMillis(250), Duration.ofSeconds(1));
    }

    /**
     * Reads the form a config uses.
     *
     * @param key {@code payload} or {@code userProperty.<name>}
     * @return the user property, or null for {@code payload}
     */
    public static String parseKey(String key) {
        if (key.equals("payload")) return null;
        if (key.startsWith("userProperty.") && key.length() > 13) return key.substring(13);
        throw new IllegalArgumentException("key: '" + key + "' is not a dedup key; write payload or userProperty.<name>");
    }

    /** @param store where to remember @return these options with it */
    public DedupConfig withStore(Store store) {
        return new DedupConfig(userProperty, ttl, store, maxKeys, scope, redisTimeout, redisRetry);
    }

    /** @param maxKeys how many to remember locally @return these options with it */
    public DedupConfig withMaxKeys(int maxKeys) {
        return new DedupConfig(userProperty, ttl, store, maxKeys, scope, redisTimeout, redisRetry);
    }

    /** @param scope the Redis key scope @return these options with it */
    public DedupConfig withScope(String scope) {
        return new DedupConfig(userProperty, ttl, store, maxKeys, scope, redisTimeout, redisRetry);
    }

    /**
     * Whether a dedup with these options never blocks its thread: true with {@code store: local}; with Redis each
     * message waits for a round trip. The rule of {@link Dedup#nonBlocking()} and of {@code routemq check}.
     *
     * @return true when it never blocks
     */
    public boolean nonBlocking() {
        return store == Store.LOCAL;
    }
}
