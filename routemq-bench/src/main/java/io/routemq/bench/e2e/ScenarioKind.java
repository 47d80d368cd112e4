package io.routemq.bench.e2e;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The end-to-end scenarios, all run against the same broker and the same load. */
public enum ScenarioKind {
    /** The HiveMQ MQTT client subscribing with a callback, in its own JVM: the baseline. */
    RAW("raw", "HiveMQ client subscriber (baseline)"),
    /** RouteMQ's framework path in its own JVM: session, dispatcher, 2 middleware and a counting handler. */
    ROUTER("router", "RouteMQ framework path, 2 middleware + handler"),
    /**
     * As {@link #ROUTER} with the route declared non-blocking ({@code RouteBuilder.nonBlocking()}): the middleware and
     * the handler run on the client's thread, with no hand-off to the topic's lane thread.
     */
    ROUTER_NB("router-nb", "RouteMQ framework path, non-blocking route (client's thread)"),
    /** As {@link #ROUTER} with 10,000 routes in the table. */
    ROUTER_10K("router10k", "RouteMQ framework path, 10k routes"),
    /**
     * The gateway into the durable queue, drained by its {@code discard: {}} sink (a build from before that sink: an HTTP
     * sink with large batches).
     */
    QUEUE("queue", "gateway -> durable queue -> discard sink"),
    /** The simplest lossless forwarder: the raw client acking each message after a 2xx from the JDK HttpClient. */
    FORWARDER("forwarder", "raw client -> HTTP per message, ack after 2xx (baseline)"),
    /** The gateway: MQTT -> durable queue -> HTTP sink, one request per message. */
    HTTP("http", "gateway -> durable queue -> HTTP, per message"),
    /** As {@link #HTTP} with batches of envelopes per request ({@code --http-batch}, 100). */
    HTTP_BATCH("http-batch", "gateway -> durable queue -> HTTP, batched");

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

    /** True for the scenarios that run the gateway ({@code queue}, {@code http}, {@code http-batch}): one run per gateway build. */
    public boolean gateway() {
        return this == QUEUE || this == HTTP || this == HTTP_BATCH;
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
