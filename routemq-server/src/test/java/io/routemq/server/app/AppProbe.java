package io.routemq.server.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the apps the tests compile record, read by the tests (the apps are loaded by a child class loader). */
public final class AppProbe {
    /** Lines the app's handlers and lifecycle methods add. */
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();

    /** Dev mode's test: message id to the versions of the code that handled it. */
    public static final java.util.Map<Integer, List<String>> HANDLED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Records that {@code version} handled message {@code id}. */
    public static void handled(int id, String version) {
        HANDLED.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(version);
    }

    private AppProbe() {
    }
}
