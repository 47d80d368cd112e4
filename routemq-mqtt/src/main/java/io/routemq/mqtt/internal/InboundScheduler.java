package io.routemq.mqtt.internal;

import io.reactivex.Scheduler;
import io.reactivex.disposables.Disposable;
import io.reactivex.disposables.Disposables;
import io.reactivex.schedulers.Schedulers;
import org.reactivestreams.Publisher;

import java.util.concurrent.TimeUnit;

/**
 * The HiveMQ client's application scheduler for one connection: the client's own default (RxJava's computation
 * scheduler) for everything but the flow of received messages, which is delivered on the thread that emits it.
 *
 * <p>Why: the client's {@code publishes()} flow hands every message from the Netty event loop to the application
 * scheduler ({@code observeOn}) before the connection sees it, and the connection hands it on again to a handler's
 * virtual thread: three threads per message where the raw client's callback crosses two. The connection's first step
 * ({@link io.routemq.mqtt.InboundListener#tryAccept}) never blocks and the rest of the way runs on the handler's
 * thread, so the hop to the computation thread buys nothing. With this scheduler the {@code observeOn} of the received
 * messages runs its drain in the thread that calls it: the event loop when a message arrives, or the thread that
 * requests more (a finished handler's). Its queue, its request batching and its serialisation stay as they are, so the
 * flow keeps its backpressure: the connection still requests messages only as earlier ones finish.
 *
 * <p>The client creates a worker of its application scheduler when a flow is subscribed, on the subscribing thread:
 * {@link #direct} marks that one subscription. Every other use (connect, subscribe and publish results, other flows)
 * gets the default scheduler, so no other callback of the client moves to the event loop.
 */
final class InboundScheduler extends Scheduler {
    private final Scheduler delegate = Schedulers.computation();
    /** The thread now subscribing the received-message flow, whose first worker runs inline. */
    private volatile Thread directFor;

    /**
     * The flow, made to deliver on the emitting thread: its subscription takes this scheduler's inline worker.
     * {@code flow} must apply {@code observeOn} with this scheduler once.
     */
    <T> Publisher<T> direct(Publisher<T> flow) {
        return subscriber -> {
            directFor = Thread.currentThread();
            try {
                flow.subscribe(subscriber);
            } finally {
                directFor = null;
            }
        };
    }

    @Override
    public Worker createWorker() {
        if (directFor == Thread.currentThread()) {
            directFor = null;
            return new Inline(delegate);
        }
        return delegate.createWorker();
    }

    @Override
    public Disposable scheduleDirect(Runnable run, long delay, TimeUnit unit) {
        return delegate.scheduleDirect(run, delay, unit);
    }

    @Override
    public Disposable schedulePeriodicallyDirect(Runnable run, long initialDelay, long period, TimeUnit unit) {
        return delegate.schedulePeriodicallyDirect(run, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
        return delegate.now(unit);
    }

    /**
     * Runs each task at once on the calling thread. The {@code observeOn} that uses it schedules its drain only when
     * no drain runs (its own counter), so a task never runs inside itself and the flow stays serial.
     */
    private static final class Inline extends Worker {
        private final Scheduler delayed;
        private volatile boolean disposed;

        Inline(Scheduler delayed) {
            this.delayed = delayed;
        }

        @Override
        public Disposable schedule(Runnable run, long delay, TimeUnit unit) {
            if (disposed) return Disposables.disposed();
            if (delay > 0) return delayed.scheduleDirect(run, delay, unit); // observeOn never delays; be correct anyway
            run.run();
            return Disposables.disposed();
        }

        @Override
        public void dispose() {
            disposed = true;
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }
}
