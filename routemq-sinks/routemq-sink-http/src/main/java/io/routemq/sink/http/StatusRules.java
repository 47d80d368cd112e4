package io.routemq.sink.http;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Overrides of the status classification. Without overrides: 2xx is delivered; 408, 429 and 5xx are retried;
 * every other status is rejected (dead-lettered). A code in {@code retryOn} is retried, a code in {@code rejectOn}
 * rejected, whatever the default. Codes must be 300..599.
 *
 * @param retryOn  extra retryable codes (YAML {@code retryOn})
 * @param rejectOn codes to reject even if they would be retried, e.g. 501 (YAML {@code rejectOn})
 */
public record StatusRules(Set<Integer> retryOn, Set<Integer> rejectOn) {
    /** The default rules. */
    public static final StatusRules DEFAULT = new StatusRules(Set.of(), Set.of());

    /** Validates and copies. */
    public StatusRules {
        retryOn = codes("retryOn", retryOn);
        rejectOn = codes("rejectOn", rejectOn);
        for (Integer c : retryOn) {
            if (rejectOn.contains(c)) throw new IllegalArgumentException("retryOn and rejectOn both list " + c + "; keep it in one");
        }
    }

    private static Set<Integer> codes(String key, Set<Integer> in) {
        if (in == null) return Set.of();
        for (Integer c : in) {
            if (c == null || c < 300 || c > 599) {
                throw new IllegalArgumentException(key + ": " + c + " is not an HTTP status 300..599 (2xx is always success)");
            }
        }
        return Collections.unmodifiableSet(new TreeSet<>(in));
    }
}
