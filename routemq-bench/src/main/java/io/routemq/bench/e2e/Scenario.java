package io.routemq.bench.e2e;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.routemq.core.Context;
import io.routemq.core.Handler;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.mqtt.MqttApplication;
import io.routemq.mqtt.SessionConfig;
import io.routemq.mqtt.SessionManager;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One running receiver of a scenario: subscribed and ready when {@link #start} returns; every message it receives
 * goes to the {@link ReceiptSlot}.
 */
interface Scenario extends AutoCloseable {

    /** A line for the report: what runs and how it is configured. */
    String describe();

    /** Extra counters for the report (delivery retries, ...) since the previous call, or empty. */
    default String notes() {
        return "";
    }

    /** Stops the receiving side (gracefully, within about 30 s). */
    @Override
    void close();

    /** Starts the scenario's receiving side and waits until it is subscribed. */
    static Scenario start(ScenarioKind kind, BrokerTarget broker, int qos, ReceiptSlot slot, BenchConfig config, Path workDir)
            throws Exception {
        return switch (kind) {
            case RAW -> Raw.start(broker, qos, slot);
            case ROUTER -> RouterScenario.start(broker, qos, slot, 1, config.tree());
            case ROUTER_10K -> RouterScenario.start(broker, qos, slot, 10_000, config.tree());
            case HTTP -> HttpScenario.start(broker, qos, slot, 1, config, workDir);
            case HTTP_BATCH -> HttpScenario.start(broker, qos, slot, config.httpBatch(), config, workDir);
        };
    }

    /** The baseline: the HiveMQ client with a subscription callback (acknowledges after the callback returns). */
    final class Raw implements Scenario {
        private final Mqtt5AsyncClient client;
        private final int qos;

        private Raw(Mqtt5AsyncClient client, int qos) {
            this.client = client;
            this.qos = qos;
        }

        static Raw start(BrokerTarget broker, int qos, ReceiptSlot slot) throws Exception {
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5()
                    .identifier("routemq-bench-raw-" + ProcessHandle.current().pid())
                    .serverHost(broker.host()).serverPort(broker.port()).buildAsync();
            c.connectWith().cleanStart(true).restrictions().receiveMaximum(65535).applyRestrictions().send()
                    .get(30, TimeUnit.SECONDS);
            c.subscribeWith().topicFilter(TopicTree.filter()).qos(MqttQos.fromCode(qos))
                    .callback(p -> slot.record(p.getPayloadAsBytes())).send().get(30, TimeUnit.SECONDS);
            return new Raw(c, qos);
        }

        @Override
        public String describe() {
            return "Mqtt5AsyncClient, subscribe " + TopicTree.filter() + " qos " + qos + ", callback, receiveMaximum 65535";
        }

        @Override
        public void close() {
            try {
                client.disconnect().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // the broker closes the connection anyway
            }
        }
    }

    /** RouteMQ's MqttApplication with a router: two middleware and a handler, optionally among 10k routes. */
    final class RouterScenario implements Scenario {
        private final MqttApplication app;
        private final RouteTable table;
        private final LongAdder passed;
        private final LongAdder elsewhere;

        private RouterScenario(MqttApplication app, RouteTable table, LongAdder passed, LongAdder elsewhere) {
            this.app = app;
            this.table = table;
            this.passed = passed;
            this.elsewhere = elsewhere;
        }

        static RouterScenario start(BrokerTarget broker, int qos, ReceiptSlot slot, int routes, TopicTree tree) throws Exception {
            LongAdder passed = new LongAdder();
            LongAdder elsewhere = new LongAdder();
            Router router = Router.create();
            router.middleware(new SiteCheck(), new Counting(passed));
            Handler telemetry = ctx -> slot.record(ctx.payload());
            router.on("site/{site}/device/{id}/telemetry", telemetry).name("telemetry").qos(qos);
            if (routes > 1) RouteSets.addRealisticRoutes(router, routes - 1, tree, telemetry, ctx -> elsewhere.increment(), qos);
            RouteTable table = router.build();
            SessionManager sessions = new SessionManager();
            sessions.add(SessionConfig.builder(broker.url()).clientId("routemq-bench-router-" + ProcessHandle.current().pid()).build());
            MqttApplication app = MqttApplication.builder(sessions).routes(table).build();
            app.start();
            try {
                app.awaitReady(Duration.ofSeconds(60));
            } catch (Exception e) {
                app.stop(Duration.ofSeconds(5));
                throw e;
            }
            return new RouterScenario(app, table, passed, elsewhere);
        }

        @Override
        public String describe() {
            return "MqttApplication + Dispatcher (defaults), " + table.size() + " route(s), 2 global middleware, subscriptions "
                    + table.subscriptions().stream().map(s -> s.topicFilter("$share")).toList();
        }

        @Override
        public String notes() {
            return elsewhere.sum() == 0 ? "" : elsewhere.sum() + " messages reached a non-telemetry route";
        }

        @Override
        public void close() {
            try {
                app.stop(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Middleware 1: checks the site level of the topic, as an authorisation step would; filters what fails. (It reads
     * the topic, not {@code ctx.param("site")}: literal routes of the 10k table have no parameters.)
     */
    final class SiteCheck implements Middleware {
        @Override
        public void handle(Context ctx, Next next) throws Exception {
            if (ctx.topic().startsWith("site/s")) next.proceed(ctx);
        }
    }

    /** Middleware 2: counts, as a metrics step would. */
    final class Counting implements Middleware {
        private final LongAdder count;

        Counting(LongAdder count) {
            this.count = count;
        }

        @Override
        public void handle(Context ctx, Next next) throws Exception {
            count.increment();
            next.proceed(ctx);
        }
    }
}
