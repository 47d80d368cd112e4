package io.routemq.examples.fleet;

import io.routemq.core.Context;

/** A controller: sensor readings. */
public final class Devices {
    private final Journal journal;

    /** A controller writing what it does to the journal. */
    public Devices(Journal journal) {
        this.journal = journal;
    }

    void data(Context ctx) {
        double celsius = ctx.json().path("temperature").asDouble();
        journal.add("data   device " + ctx.param("deviceId") + " temperature " + celsius);
    }

    void status(Context ctx) {
        journal.add("status " + ctx.topic() + " = " + ctx.text());
    }

    void archive(Context ctx) {
        journal.add("archive " + ctx.param("path") + " (" + ctx.payload().length + " bytes)");
    }
}
