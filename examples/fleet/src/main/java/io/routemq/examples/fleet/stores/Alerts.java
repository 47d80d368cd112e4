package io.routemq.examples.fleet.stores;

import java.util.List;

/**
 * The alerts of the fleet: rows of an {@code alerts} table when the config has a {@code database:} section, a list
 * in memory otherwise ({@link Stores} chooses).
 */
public interface Alerts {

    /** Stores one alert. */
    void record(Alert alert);

    /** The newest {@code n} alerts, newest first. */
    List<Alert> latest(int n);

    /** Where the alerts are kept, for the log line at start. */
    String describe();
}
