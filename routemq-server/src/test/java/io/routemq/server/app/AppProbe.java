package io.routemq.server.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the apps the tests compile record, read by the tests (the apps are loaded by a child class loader). */
public final class AppProbe {
    /** Lines the app's handlers and lifecycle methods add. */
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();

    private AppProbe() {
    }
}
