package io.routemq.middleware.internal;

/** Counts messages per key against a rate limit. */
public interface Limiter {
    /**
     * Takes one permit for the key if the limit allows it.
     *
     * @param key the message's key
     * @return 0 when the permit was taken; otherwise the milliseconds (at least 1) after which trying again may succeed
     */
    long acquire(String key);
}
