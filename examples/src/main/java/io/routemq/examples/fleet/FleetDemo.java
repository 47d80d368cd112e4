package io.routemq.examples.fleet;

import io.routemq.core.Dispatcher;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import io.routemq.core.Route;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.Subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the fleet example in process: builds the routes, prints the route table and the MQTT subscriptions it needs,
 * dispatches a set of sample messages and prints where each one went.
 */
public final class FleetDemo {
    private FleetDemo() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        Journal journal = new Journal();
        FleetRoutes routes = new FleetRoutes(new Trucks(journal), new Devices(journal), new RequireToken(Set.of("s3cret")));
        RouteTable table = Router.of(routes).build();

        System.out.println("Routes (most specific wins; ties by registration order):");
        for (Route r : table.routes()) {
            System.out.printf("  %-36s qos %d%s%s%s  middleware %d%n", r.pattern(), r.qos(),
                    r.sharedGroup() != null ? "  shared " + r.sharedGroup() + " x" + r.workers() : "",
                    r.excludes().isEmpty() ? "" : "  exclude " + r.excludes(),
                    r.fanout() ? "  fanout" : "", r.middleware().size());
        }
        System.out.println("MQTT subscriptions:");
        for (Subscription s : table.subscriptions()) System.out.println("  " + s);

        List<Publication> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        Outcome[] outcomes = new Outcome[16];
        try (Dispatcher dispatcher = Dispatcher.builder(table)
                .publisher(p -> {
                    published.add(p);
                    return CompletableFuture.completedFuture(null);
                })
                .build()) {
            MessageProperties token = MessageProperties.builder().userProperty("token", "s3cret").build();
            List<Message> samples = List.of(
                    Message.of("sensors/d-17/data", "{\"temperature\": 21.5}").withQos(1),
                    Message.of("sensors/d-17/status", "online"),
                    Message.of("sensors/test/status", "ignored: excluded"),
                    Message.of("fleet/north/trucks/t-9/gps", "{\"lat\":59.33,\"lon\":18.06,\"speedKmh\":131}").withProperties(token),
                    Message.of("fleet/north/trucks/t-9/gps", "{\"lat\":59.34,\"lon\":18.07,\"speedKmh\":88}"),
                    Message.of("fleet/north/trucks/t-9/alerts", "door open").withQos(2).withProperties(token),
                    Message.of("fleet/north/trucks/t-9/gps", "not json").withProperties(token),
                    Message.of("archive/2026/11/22/log.txt", "..."),
                    Message.of("$SYS/broker/uptime", "12"),
                    Message.of("lights/kitchen", "on"));
            for (int i = 0; i < samples.size(); i++) {
                int index = i;
                dispatcher.dispatch(samples.get(i), outcome -> outcomes[index] = outcome);
            }
            dispatcher.awaitIdle(Duration.ofSeconds(5));
            System.out.println("Dispatched:");
            for (int i = 0; i < samples.size(); i++) {
                Message m = samples.get(i);
                var match = table.match(m.topic());
                System.out.printf("  %-9s %-30s -> %s%n", outcomes[i], m.topic(),
                        match == null ? "(no route)" : match.route().name() + " " + match.params());
            }
            System.out.println("Handlers did:");
            for (String line : journal.lines()) System.out.println("  " + line);
            System.out.println("Published:");
            for (Publication p : published) {
                System.out.println("  " + p.topic() + " " + new String(p.payload(), StandardCharsets.UTF_8));
            }
            System.out.println("Stats: " + dispatcher.stats());
        }
    }
}
