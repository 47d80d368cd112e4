package io.routemq.core;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs tasks one key (topic) after the other: at most one thread runs a key's tasks, in the order they were given;
 * different keys run in parallel.
 *
 * <p>Each key with work has a lane: the task its thread runs first and those queued behind it. The lane's thread
 * runs them one after the other and ends the lane when it finds it empty; a task that finds its lane ended takes it
 * out of the map and starts a new lane, whose thread can only start after the old one ran its last task. While a
 * key's thread runs, a task costs one map read and one uncontended monitor; a lane costs a map insert, a thread
 * start and a map removal. (Before: two {@code ConcurrentHashMap.compute} calls per task.)
 *
 * @param <T> the task
 */
final class Lanes<T> {
    private final ConcurrentHashMap<String, Lane<T>> lanes = new ConcurrentHashMap<>();
    private final ThreadFactory threads;
    private final Consumer<T> run;
    private final BiConsumer<T, Throwable> refuse;

    /**
     * @param threads starts a lane's thread
     * @param run     runs one task; must not throw
     * @param refuse  told about each task that could not run because no thread could be started
     */
    Lanes(ThreadFactory threads, Consumer<T> run, BiConsumer<T, Throwable> refuse) {
        this.threads = threads;
        this.run = run;
        this.refuse = refuse;
    }

    /** Queues a task behind the key's earlier ones, or starts the key's thread with it. */
    void add(String key, T task) {
        while (true) {
            Lane<T> lane = lanes.get(key);
            if (lane == null) {
                Lane<T> fresh = new Lane<>(task);
                lane = lanes.putIfAbsent(key, fresh);
                if (lane == null) {
                    try {
                        threads.newThread(() -> drain(key, fresh)).start();
                    } catch (RuntimeException | OutOfMemoryError e) {
                        lanes.remove(key, fresh);
                        for (T t = fresh.first; t != null; t = fresh.next()) refuse.accept(t, e);
                    }
                    return;
                }
            }
            if (lane.offer(task)) return;
            lanes.remove(key, lane); // its thread has just ended: help take it out, then try again
        }
    }

    /** Keys with a lane now (tests). */
    int size() {
        return lanes.size();
    }

    private void drain(String key, Lane<T> lane) {
        try {
            for (T t = lane.first; t != null; t = lane.next()) run.accept(t);
        } finally {
            lanes.remove(key, lane);
        }
    }

    /** One key's lane. Guarded by its monitor (held for a few field accesses, never while a task runs). */
    private static final class Lane<T> {
        final T first;
        private ArrayDeque<T> waiting;
        private boolean ended;

        Lane(T first) {
            this.first = first;
        }

        /** Queues a task behind the running one; false when the lane has ended (its thread is done). */
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
