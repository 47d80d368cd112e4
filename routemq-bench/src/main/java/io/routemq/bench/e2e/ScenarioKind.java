package io.routemq.bench.e2e;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The end-to-end scenarios, all run against the same broker and the same load. */
public enum ScenarioKind {
    /** The HiveMQ MQTT client subscribing with a callback: the baseline, the limit. */
    RAW("raw", "HiveMQ client subscriber (baseline)"),
    /** RouteMQ: session, dispatcher, 2 middleware and a handler on one route. */
    ROUTER("router", "RouteMQ router, 2 middleware + handler"),
    /** As {@link #ROUTER} with 10,000 routes in the table. */
    ROUTER_10K("router10k", "RouteMQ router, 10k routes"),
    /** MQTT to HTTP: durable enqueue (fsync before ack), delivery worker, HTTP sink, one request per message. */
    HTTP("http", "MQTT -> durable queue -> HTTP, per message"),
    /** As {@link #HTTP} with batches of 100 envelopes per request. */
    HTTP_BATCH("http-batch", "MQTT -> durable queue -> HTTP, batch 100");

    private final String id;
    private final String description;

    ScenarioKind(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name used on the command line and in the report. */
    public String id() {
        return id;
    }

    /** One line for the report. */
    public String description() {
        return description;
    }

    /**
     * The scenario of a command-line name.
     *
     * @throws IllegalArgumentException naming the known scenarios
     */
    public static ScenarioKind parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (ScenarioKind k : values()) if (k.id.equals(t)) return k;
        throw new IllegalArgumentException("--scenarios: unknown scenario '" + text + "'; use "
                + Arrays.stream(values()).map(ScenarioKind::id).collect(Collectors.joining(", ")) + " or all");
    }
}
