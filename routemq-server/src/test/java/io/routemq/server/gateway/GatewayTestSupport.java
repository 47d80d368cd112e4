package io.routemq.server.gateway;

import io.micrometer.core.instrument.Counter;
import io.routemq.broker.BrokerConfig;
import io.routemq.broker.EmbeddedBroker;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.GatewayConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** Shared plumbing of the gateway's end-to-end tests: a real broker, config files, metrics lookups. */
final class GatewayTestSupport {
    private GatewayTestSupport() {
    }

    /** A real embedded broker on a free port, anonymous access, in memory unless {@code dataDir} is given. */
    static EmbeddedBroker startBroker(Path dataDir, Consumer<BrokerConfig.Builder> tune) {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder().port(0).allowAnonymous(true)
                .configure(c -> c.serverReceiveMaximum(1000));
        if (dataDir == null) b.inMemory();
        else b.dataDir(dataDir);
        if (tune != null) b.configure(tune);
        EmbeddedBroker broker = b.build();
        broker.start();
        return broker;
    }

    static EmbeddedBroker startBroker() {
        return startBroker(null, null);
    }

    /**
     * The sections every test config shares: one external broker session {@code main}, the queue in {@code queueDir}
     * with fsync always, admin off (or on a free port), a shutdown timeout.
     */
    static String common(int brokerPort, String clientId, Path queueDir, boolean admin) {
        return """
                brokers:
                  main:
                    url: mqtt://127.0.0.1:%d
                    clientId: %s
                    reconnect: { initialDelay: 200ms, maxDelay: 2s }
                queue:
                  dir: '%s'
                  fsync: always
                admin:
                  enabled: %s
                  port: 0
                shutdown:
                  timeout: 20s
                """.formatted(brokerPort, clientId, queueDir.toAbsolutePath(), admin);
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static GatewayConfig load(Path file) {
        return new ConfigLoader(Map.of()).load(file);
    }

    static Gateway startReady(GatewayConfig config) throws InterruptedException {
        Gateway g = Gateway.start(config, false);
        try {
            g.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            g.close();
            throw e;
        }
        return g;
    }

    /** The sum of a counter over the meters with the given tags (0 when none exists yet). */
    static double counter(Gateway g, String name, String... tags) {
        double sum = 0;
        for (Counter c : g.registry().find(name).tags(tags).counters()) sum += c.count();
        return sum;
    }

    /** Messages of a route durably enqueued (acknowledged to the broker). */
    static long handled(Gateway g, String route) {
        return (long) counter(g, "routemq.messages", "route", route, "outcome", "handled");
    }

    static long filtered(Gateway g, String route) {
        return (long) counter(g, "routemq.messages", "route", route, "outcome", "filtered");
    }

    /** Messages still queued for every sink queue, from the health report. */
    @SuppressWarnings("unchecked")
    static long queued(Gateway g) {
        Map<String, Object> queues = (Map<String, Object>) g.health().details().get("queues");
        long n = 0;
        for (Object v : queues.values()) n += ((Number) ((Map<String, Object>) v).get("queued")).longValue();
        return n;
    }

    @SuppressWarnings("unchecked")
    static long deadLetters(Gateway g) {
        Map<String, Object> queues = (Map<String, Object>) g.health().details().get("queues");
        long n = 0;
        for (Object v : queues.values()) n += ((Number) ((Map<String, Object>) v).get("deadLetters")).longValue();
        return n;
    }

    /** Prints a figure so that it lands in the surefire output. */
    static void report(String test, String line) {
        System.out.println("[gateway-e2e] " + test + ": " + line);
    }
}
