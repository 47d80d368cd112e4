package io.routemq.bench.e2e;

/**
 * Where a scenario's receiver hands each payload: to the {@link Receipts} of the phase running now. The bench swaps
 * the phase between runs on the same subscriber.
 */
final class ReceiptSlot {
    private volatile Receipts current = Receipts.idle();

    void record(byte[] payload) {
        current.record(payload, Payloads.wallNanos());
    }

    void set(Receipts receipts) {
        current = receipts;
    }

    Receipts get() {
        return current;
    }
}
