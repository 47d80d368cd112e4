package io.routemq.core;

/**
 * Counters of a {@link Dispatcher}: messages by final outcome, and the messages in flight now.
 *
 * @param handled   messages handled by every route they went to
 * @param filtered  messages stopped by middleware
 * @param unmatched messages no route matched
 * @param failed    messages whose chain failed after the error policy (acknowledged)
 * @param rejected  messages left unacknowledged for redelivery
 * @param inFlight  messages accepted and not yet finished
 */
public record DispatchStats(long handled, long filtered, long unmatched, long failed, long rejected, int inFlight) {
    /** All finished messages. */
    public long total() {
        return handled + filtered + unmatched + failed + rejected;
    }
}
