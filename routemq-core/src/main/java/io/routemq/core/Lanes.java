package io.routemq.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs tasks one key (topic) after the other: at most one thread runs a key's tasks, in the order they were given;
 * different keys run in parallel.
 *
 * <p>Each key with work has a lane: the task its thread runs first and those queued behind it. The lane's thread
 * runs them one after the other and ends the lane when it finds it empty; a task that finds its lane ended takes it
 * out of the map and starts a new lane, which can only run after the old one ran its last task. While a key's thread
 * runs, a task costs one map read and one uncontended monitor; a lane costs a map insert and removal.
 *
 * <p><b>Lane threads are reused.</b> A thread whose lane ended does not end with it: it waits, parked, for the next
 * new lane (at most {@code maxIdle} threads wait; the others end). A new lane goes to the most recently idle thread,
 * or to a new thread when none waits, so a new lane never waits behind a running one: different keys still run in
 * parallel however long a task blocks. Starting a virtual thread per lane (its object, the JDK's tracking of every
 * virtual thread in a concurrent set, its numbered name, its end) was 7.7% of the framework path's samples at QoS 0;
 * a hand-off to a parked thread is a compare-and-set and an unpark. Tasks of different keys may therefore run on the
 * same thread one after the other: a task must not leave thread-local state behind (the thread's interrupt status
 * is cleared between lanes).
 *
 * <p><b>Running on the caller's thread.</b> {@link #runHereOrAdd} runs a task of a key without a lane on the calling
 * thread, as the first task of a lane it holds meanwhile, so that the key's later tasks still queue behind it; tasks
 * queued while it runs go on on a lane thread. For tasks that never block (the dispatcher's non-blocking routes) this
 * saves the hand-off to another thread: with many keys, nearly every task would otherwise start a lane, and waking a
 * parked lane thread (an {@code unpark}, a {@code ForkJoinPool} submission, a carrier that wakes and parks again) cost
 * more than the task itself.
 *
 * @param <T> the task
 */
final class Lanes<T> implements AutoCloseable {
    /** A waiting thread's slot once it is told to end. */
    private static final Object ENDED = new Object();
    private static final VarHandle SLOT;

    static {
        try {
            SLOT = MethodHandles.lookup().findVarHandle(Lanes.Worker.class, "slot", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentHashMap<String, Lane<T>> lanes = new ConcurrentHashMap<>();
    private final ThreadFactory threads;
    private final Consumer<T> run;
    private final BiConsumer<T, Throwable> refuse;
    private final int maxIdle;
    /** Threads waiting for a lane, the most recently idle on top: a stack of fresh nodes (no node is pushed twice). */
    private final AtomicReference<Idle> idle = new AtomicReference<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final LongAdder started = new LongAdder();
    private final LongAdder reused = new LongAdder();
    private volatile boolean closed;

    /**
     * @param threads starts a lane thread
     * @param run     runs one task; must not throw
     * @param refuse  told about each task that could not run because no thread could be started
     * @param maxIdle the most threads kept waiting for a new lane (0: a thread ends with its lane)
     */
    Lanes(ThreadFactory threads, Consumer<T> run, BiConsumer<T, Throwable> refuse, int maxIdle) {
        if (maxIdle < 0) throw new IllegalArgumentException("maxIdle must be at least 0, got " + maxIdle);
        this.threads = threads;
        this.run = run;
        this.refuse = refuse;
        this.maxIdle = maxIdle;
    }

    /** Queues a task behind the key's earlier ones, or starts the key's lane with it. */
    void add(String key, T task) {
        enqueue(key, task, false);
    }

    /**
     * Runs the task on this thread if the key has no lane, as the first task of a lane this thread holds while it
     * runs; tasks queued behind it meanwhile then go on on a lane thread. Queues it behind the key's lane otherwise.
     */
    void runHereOrAdd(String key, T task) {
        enqueue(key, task, true);
    }

    private void enqueue(String key, T task, boolean here) {
        while (true) {
            Lane<T> lane = lanes.get(key);
            if (lane == null) {
                Lane<T> fresh = new Lane<>(key, task);
                lane = lanes.putIfAbsent(key, fresh);
                if (lane == null) {
                    if (here) runHere(fresh, task);
                    else start(fresh);
                    return;
                }
            }
            if (lane.offer(task)) return;
            lanes.remove(key, lane); // its thread has just ended it: help take it out, then try again
        }
    }

    private void runHere(Lane<T> lane, T task) {
        try {
            run.accept(task);
        } finally {
            T next = lane.next();
            if (next == null) {
                lanes.remove(lane.key, lane);
            } else {
                lane.head = next; // the tasks queued behind it: on a lane thread, which may block
                start(lane);
            }
        }
    }

    /** Gives a new lane to a waiting thread, or to a new one. */
    private void start(Lane<T> lane) {
        for (Worker w; (w = popIdle()) != null; ) {
            if (w.give(lane)) {
                reused.increment();
                return;
            }
        }
        try {
            threads.newThread(new Worker(lane)).start();
            started.increment();
        } catch (RuntimeException | OutOfMemoryError e) {
            lanes.remove(lane.key, lane);
            for (T t = lane.head; t != null; t = lane.next()) refuse.accept(t, e);
        }
    }

    private Worker popIdle() {
        while (true) {
            Idle top = idle.get();
            if (top == null) return null;
            if (idle.compareAndSet(top, top.next)) {
                idleCount.decrementAndGet();
                return top.worker;
            }
        }
    }

    /** False when the thread should end instead: closed, or enough threads wait already. */
    private boolean pushIdle(Worker w) {
        if (closed) return false;
        if (idleCount.getAndIncrement() >= maxIdle) {
            idleCount.decrementAndGet();
            return false;
        }
        Idle node = new Idle(w);
        while (true) {
            Idle top = idle.get();
            node.next = top;
            if (idle.compareAndSet(top, node)) return true;
        }
    }

    /** Keys with a lane now (tests). */
    int size() {
        return lanes.size();
    }

    /** Lane threads started so far (tests, measurements). */
    long threadsStarted() {
        return started.sum();
    }

    /** Lanes given to a waiting thread instead of a new one (tests, measurements). */
    long lanesReused() {
        return reused.sum();
    }

    /** Threads waiting for a lane now (tests). */
    int idleThreads() {
        return idleCount.get();
    }

    /**
     * Ends the waiting threads, and each running one when its lane ends. Lanes added after this still run, each on
     * a thread of its own.
     */
    @Override
    public void close() {
        closed = true;
        for (Worker w; (w = popIdle()) != null; ) w.end();
    }

    private void drain(Lane<T> lane) {
        try {
            for (T t = lane.head; t != null; t = lane.next()) run.accept(t);
        } finally {
            lanes.remove(lane.key, lane);
        }
    }

    /** A node of the idle stack. */
    private final class Idle {
        final Worker worker;
        Idle next;

        Idle(Worker worker) {
            this.worker = worker;
        }
    }

    /** A lane thread's loop: its first lane, then each lane given to it while it waits. */
    private final class Worker implements Runnable {
        private final Lane<T> first;
        /** Set before the thread first waits, read by whoever gives it a lane (after popping it: happens-before). */
        private Thread thread;
        /** While waiting: null, then the lane given to it or ENDED. Set once per wait, by compare-and-set. */
        private volatile Object slot;

        Worker(Lane<T> first) {
            this.first = first;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            for (Lane<T> lane = first; lane != null; lane = await()) drain(lane);
        }

        /** Hands this waiting thread a lane; false when it has ended. */
        boolean give(Lane<T> lane) {
            if (!SLOT.compareAndSet(this, (Object) null, (Object) lane)) return false;
            LockSupport.unpark(thread);
            return true;
        }

        void end() {
            if (SLOT.compareAndSet(this, (Object) null, ENDED)) LockSupport.unpark(thread);
        }

        /** The next lane to run, or null: the thread ends. */
        @SuppressWarnings("unchecked")
        private Lane<T> await() {
            Thread.interrupted(); // a task's interrupt must neither reach the next key's tasks nor stop the park
            slot = null;
            if (!pushIdle(this)) return null;
            if (closed) end(); // close() may have emptied the stack before the push
            Object s;
            while ((s = slot) == null) {
                LockSupport.park(this);
                Thread.interrupted();
            }
            return s == ENDED ? null : (Lane<T>) s;
        }
    }

    /** One key's lane. Guarded by its monitor (held for a few field accesses, never while a task runs). */
    private static final class Lane<T> {
        final String key;
        /**
         * The task a thread given the lane runs first: the lane's first task, or (after {@link #runHereOrAdd} ran that
         * on the caller's thread) the next one. Published to that thread by the map insert or the hand-off.
         */
        T head;
        private ArrayDeque<T> waiting;
        private boolean ended;

        Lane(String key, T head) {
            this.key = key;
            this.head = head;
        }

        /** Queues a task behind the running one; false when the lane has ended (its thread is done with it). */
        synchronized boolean offer(T task) {
            if (ended) return false;
            if (waiting == null) waiting = new ArrayDeque<>(4);
            waiting.add(task);
            return true;
        }

        /** The next task, or null: the lane has then ended and takes no more. */
        synchronized T next() {
            T t = waiting == null ? null : waiting.poll();
            if (t == null) ended = true;
            return t;
        }
    }
}
