package io.routemq.examples.fleet.stores;

import java.util.ArrayList;
import java.util.List;

/** The in-memory stand-in for {@link SqlAlerts}: a list, lost when the app stops. */
public final class MemoryAlerts implements Alerts {
    private final List<Alert> alerts = new ArrayList<>();

    @Override
    public synchronized void record(Alert alert) {
        alerts.add(alert);
    }

    @Override
    public synchronized List<Alert> latest(int n) {
        List<Alert> out = new ArrayList<>(alerts.subList(Math.max(0, alerts.size() - n), alerts.size()));
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public String describe() {
        return "in memory (a list, lost at stop)";
    }
}
