package io.routemq.processor;

import io.routemq.core.Dispatcher;
import io.routemq.core.ErrorPolicy;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import io.routemq.core.Publisher;
import io.routemq.core.Route;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.Routes;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Constructor;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiles a controller with the processor, then runs real messages through the generated route file on core's
 * Router and Dispatcher: every argument kind, replies, options and conversion errors.
 */
class TypedHandlerTest {
    static final String READING = """
            package com.acme;
            public record Reading(double temp, String unit) { }
            """;
    static final String TAG = """
            package com.acme;
            import io.routemq.core.*;
            public final class Tag implements Middleware {
                public void handle(Context ctx, Next next) throws Exception { ctx.attribute("tag", "tagged"); next.proceed(ctx); }
            }
            """;
    static final String DEVICES = """
            package com.acme;
            import io.routemq.core.*;
            import io.routemq.core.annotation.*;
            import java.util.*;
            import java.util.concurrent.CopyOnWriteArrayList;
            import tools.jackson.databind.JsonNode;

            @Controller
            public final class Devices {
                public final List<String> seen = new CopyOnWriteArrayList<>();

                @Topic(value = "sensors/{deviceId}/data", qos = 1)
                void data(@Param String deviceId, Reading payload) { seen.add("data " + deviceId + " " + payload.temp() + payload.unit()); }

                @Topic("counters/{n}/{id}/{big}/{ratio}")
                public void count(@Param int n, @Param("id") UUID uuid, @Param long big, @Param Double ratio, Context ctx) {
                    seen.add("count " + n + " " + uuid + " " + big + " " + ratio + " " + ctx.topic());
                }

                @Topic("raw/{path...}")
                void raw(@Param String path, byte[] body) { seen.add("raw " + path + " " + body.length); }

                @Topic("text/+")
                void text(String body, Message m) { seen.add("text " + body + " " + m.qos()); }

                @Topic("list/x")
                void list(List<Reading> readings) { seen.add("list " + readings.get(1).unit()); }

                @Topic("tree/x")
                void tree(JsonNode n) { seen.add("tree " + n.get("a").asInt()); }

                @Topic("ask/{q}")
                String ask(@Param String q) { return "answer " + q; }

                @Topic("sum/{a}/{b}")
                int sum(@Param int a, @Param int b) { return a + b; }

                @Topic("obj/{a}")
                Reading obj(@Param String a) { return new Reading(1.5, a); }

                @Topic(value = "strict/{v}", qos = 2)
                @Retry(attempts = 2, backoffMillis = 1)
                @Redeliver
                void strict(@Param long v) { seen.add("strict " + v); }

                @Topic(value = "mw/x", middleware = Tag.class)
                void mw(Context ctx) { seen.add("mw " + ctx.attribute("tag")); }

                @Topic(value = "mw/y", middleware = Tag.class)
                void mw(Context ctx, String body) { seen.add("mw2 " + ctx.attribute("tag") + " " + body); }

                @Topic(value = "opts/{id}", name = "shared-opts", fanout = true, unordered = true, nonBlocking = true, session = "other",
                       exclude = {"opts/skip", "opts/no"}, to = {"archive", "audit"})
                @Shared(value = "g1", workers = 3)
                void opts(@Param String id) { }
            }
            """;

    @TempDir
    static Path dir;
    static InProcessCompiler.Result result;
    static URLClassLoader loader;
    static Object devices;
    static Routes routes;
    static RouteTable table;
    static final List<Publication> published = new CopyOnWriteArrayList<>();
    static Dispatcher dispatcher;
    /** The sinks the 'opts' route names; it is never sent a message here. */
    static final SinkAppender SINKS = new SinkAppender() {
        @Override
        public Set<String> sinks() {
            return Set.of("archive", "audit");
        }

        @Override
        public CompletableFuture<Void> append(List<String> sinks, Envelope envelope) {
            return CompletableFuture.completedFuture(null);
        }
    };

    @BeforeAll
    static void compile() throws Exception {
        result = InProcessCompiler.compile(dir, Map.of("com.acme.Reading", READING, "com.acme.Tag", TAG, "com.acme.Devices", DEVICES));
        assertThat(result.success()).as(result.describe()).isTrue();
        assertThat(result.diagnostics()).as(result.describe()).noneMatch(d -> d.getKind() == javax.tools.Diagnostic.Kind.WARNING);
        loader = result.loader();
        devices = loader.loadClass("com.acme.Devices").getConstructor().newInstance();
        Object tag = loader.loadClass("com.acme.Tag").getConstructor().newInstance();
        Constructor<?>[] ctors = loader.loadClass("com.acme.Devices_Routes").getConstructors();
        assertThat(ctors).hasSize(1);
        assertThat(ctors[0].getParameterTypes()).extracting(Class::getName).containsExactly("com.acme.Devices", "com.acme.Tag");
        routes = (Routes) ctors[0].newInstance(devices, tag);
        table = Router.of(routes).build();
        Publisher publisher = p -> {
            published.add(p);
            return CompletableFuture.completedFuture(null);
        };
        dispatcher = Dispatcher.builder(table).publisher(publisher).sinks(SINKS).build();
    }

    @AfterAll
    static void close() throws Exception {
        if (dispatcher != null) dispatcher.close();
        if (loader != null) loader.close();
    }

    @SuppressWarnings("unchecked")
    static List<String> seen() throws Exception {
        return (List<String>) devices.getClass().getField("seen").get(devices);
    }

    static Outcome send(Message m) throws Exception {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        dispatcher.dispatch(m, f::complete);
        return f.get(10, TimeUnit.SECONDS);
    }

    static Outcome send(String topic, String payload) throws Exception {
        return send(Message.of(topic, payload));
    }

    @Test
    void bindsParametersAndJsonPayload() throws Exception {
        assertThat(send("sensors/d7/data", "{\"temp\":21.5,\"unit\":\"C\"}")).isEqualTo(Outcome.HANDLED);
        String uuid = "0b6d5c8e-2a4b-4c1e-9f3a-5d6e7f8a9b0c";
        assertThat(send("counters/42/" + uuid + "/9000000000/0.25", "")).isEqualTo(Outcome.HANDLED);
        assertThat(send("raw/a/b/c.txt", "12345")).isEqualTo(Outcome.HANDLED);
        assertThat(send(new Message("default", "text/t1", "hello".getBytes(StandardCharsets.UTF_8), 1, false, MessageProperties.NONE)))
                .isEqualTo(Outcome.HANDLED);
        assertThat(send("list/x", "[{\"temp\":1,\"unit\":\"C\"},{\"temp\":2,\"unit\":\"F\"}]")).isEqualTo(Outcome.HANDLED);
        assertThat(send("tree/x", "{\"a\":7}")).isEqualTo(Outcome.HANDLED);
        assertThat(seen()).contains("data d7 21.5C", "count 42 " + uuid + " 9000000000 0.25 counters/42/" + uuid + "/9000000000/0.25",
                "raw a/b/c.txt 5", "text hello 1", "list F", "tree 7");
    }

    @Test
    void middlewareNamedByClassRunsWithOneSharedInstance() throws Exception {
        assertThat(send("mw/x", "")).isEqualTo(Outcome.HANDLED);
        assertThat(send("mw/y", "body")).isEqualTo(Outcome.HANDLED);
        assertThat(seen()).contains("mw tagged", "mw2 tagged body");
        Route x = route("mw/x");
        Route y = route("mw/y");
        assertThat(x.middleware()).hasSize(1);
        assertThat(x.middleware().get(0)).isSameAs(y.middleware().get(0));
    }

    @Test
    void conversionFailureNamesParameterAndTopicAndFollowsTheErrorPolicy() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Dispatcher d = Dispatcher.builder(table).sinks(SINKS).errorHandler((ctx, e, attempts) -> errors.add(e.getMessage())).build()) {
            CompletableFuture<Outcome> f1 = new CompletableFuture<>();
            d.dispatch(Message.of("counters/x/0b6d5c8e-2a4b-4c1e-9f3a-5d6e7f8a9b0c/1/1", ""), f1::complete);
            assertThat(f1.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.FAILED);   // default policy: acknowledged as failed
            CompletableFuture<Outcome> f2 = new CompletableFuture<>();
            d.dispatch(Message.of("strict/12a", ""), f2::complete);
            assertThat(f2.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.REJECTED); // @Redeliver: left for redelivery
            CompletableFuture<Outcome> f3 = new CompletableFuture<>();
            d.dispatch(Message.of("sensors/d1/data", "{not json"), f3::complete);
            assertThat(f3.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.FAILED);
        }
        assertThat(errors).anySatisfy(m -> assertThat(m).contains("parameter 'n'", "'x'", "counters/x/"));
        assertThat(errors).anySatisfy(m -> assertThat(m).contains("parameter 'v'", "'12a'", "strict/12a"));
        assertThat(errors).anySatisfy(m -> assertThat(m).contains("sensors/d1/data", "not valid JSON"));
        assertThat(route("strict/{v}").errorPolicy()).isEqualTo(new ErrorPolicy(2, Duration.ofMillis(1), false));
    }

    @Test
    void returnValueIsTheReplyWhenTheRequestHasAResponseTopic() throws Exception {
        published.clear();
        MessageProperties req = MessageProperties.builder().responseTopic("replies/me").correlationData(new byte[] {9}).build();
        assertThat(send(Message.of("ask/why", "").withProperties(req).withQos(1))).isEqualTo(Outcome.HANDLED);
        assertThat(send(Message.of("sum/2/3", "").withProperties(req))).isEqualTo(Outcome.HANDLED);
        assertThat(send(Message.of("obj/K", "").withProperties(req))).isEqualTo(Outcome.HANDLED);
        assertThat(send(Message.of("ask/nobody", ""))).isEqualTo(Outcome.HANDLED);   // no response topic: no reply
        List<String> bodies = new ArrayList<>();
        for (Publication p : published) {
            assertThat(p.topic()).isEqualTo("replies/me");
            assertThat(p.properties().correlationData()).containsExactly(9);
            bodies.add(new String(p.payload(), StandardCharsets.UTF_8));
        }
        assertThat(bodies).containsExactly("answer why", "5", "{\"temp\":1.5,\"unit\":\"K\"}");
    }

    @Test
    void routeOptionsAndSourceLabels() {
        Route data = route("sensors/{deviceId}/data");
        assertThat(data.qos()).isEqualTo(1);
        assertThat(data.source()).isEqualTo("com.acme.Devices#data");
        assertThat(data.errorPolicy()).isEqualTo(ErrorPolicy.ack());
        assertThat(data.ordered()).isTrue();
        assertThat(data.nonBlocking()).isFalse();
        Route opts = table.routes().stream().filter(r -> r.name().equals("shared-opts")).findFirst().orElseThrow();
        assertThat(opts.pattern().pattern()).isEqualTo("opts/{id}");
        assertThat(opts.sharedGroup()).isEqualTo("g1");
        assertThat(opts.workers()).isEqualTo(3);
        assertThat(opts.fanout()).isTrue();
        assertThat(opts.ordered()).isFalse();
        assertThat(opts.nonBlocking()).isTrue();
        assertThat(opts.session()).isEqualTo("other");
        assertThat(opts.sinks()).containsExactly("archive", "audit");
        assertThat(opts.excludes()).extracting(p -> p.pattern()).containsExactly("opts/skip", "opts/no");
        assertThat(opts.source()).isEqualTo("com.acme.Devices#opts");
        assertThat(route("strict/{v}").qos()).isEqualTo(2);
        assertThat(table.routes()).hasSize(13);
    }

    @Test
    void generatedCodeCallsTheContextWithoutReflection() throws Exception {
        String src = result.generatedSource("com.acme.Devices_Routes");
        assertThat(src).contains("controller.data(ctx.param(\"deviceId\"), ctx.json(com.acme.Reading.class));")
                .contains(".source(\"com.acme.Devices#data\")")
                .doesNotContain("java.lang.reflect").doesNotContain("getMethod");
    }

    static Route route(String pattern) {
        return table.routes().stream().filter(r -> r.pattern().pattern().equals(pattern)).findFirst().orElseThrow();
    }
}
