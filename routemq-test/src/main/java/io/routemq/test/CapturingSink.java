package io.routemq.test;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.Sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Sink} that keeps what it is given: the testing kit puts one behind every sink name the routes forward
 * to ({@code .to("ingest")}), so a test sees each envelope the route's sink step appended, with its topic, route
 * parameters, payload and properties. It accepts every envelope ({@link DeliveryResult#DELIVERED}). Thread-safe.
 */
public final class CapturingSink implements Sink {
    private final String name;
    private final Duration awaitTimeout;
    private final List<Envelope> received = new ArrayList<>();

    /**
     * A capturing sink.
     *
     * @param name         the sink's name, as routes name it
     * @param awaitTimeout how long {@link #awaitReceived(int)} waits
     */
    public CapturingSink(String name, Duration awaitTimeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.awaitTimeout = Objects.requireNonNull(awaitTimeout, "awaitTimeout");
    }

    @Override
    public String name() {
        return name;
    }

    /** Keeps the envelopes and accepts them all. */
    @Override
    public synchronized List<DeliveryResult> deliver(List<Envelope> envelopes) {
        received.addAll(envelopes);
        notifyAll();
        return Collections.nCopies(envelopes.size(), DeliveryResult.DELIVERED);
    }

    /** Every envelope received since the start of the test, in arrival order. */
    public synchronized List<Envelope> envelopes() {
        return List.copyOf(received);
    }

    /**
     * Waits until at least {@code n} envelopes have arrived, and returns them all.
     *
     * @throws AssertionError naming the sink and what it received when fewer arrive in time
     */
    public List<Envelope> awaitReceived(int n) {
        return awaitReceived(n, awaitTimeout);
    }

    /** Same as {@link #awaitReceived(int)} with its own timeout. */
    public synchronized List<Envelope> awaitReceived(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (received.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " envelope(s) at sink '" + name + "' within "
                            + Recorder.seconds(timeout) + ", but it received " + received.size() + Recorder.lines(received));
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for sink '" + name + "'", e);
        }
        return List.copyOf(received);
    }

    /** Forgets what was received (the kit calls it before each test). */
    public synchronized void clear() {
        received.clear();
    }

    @Override
    public String toString() {
        return "CapturingSink[" + name + "]";
    }
}
