package io.routemq.bench.jmh;

import io.routemq.core.Context;
import io.routemq.core.Handler;
import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.TimeUnit;

/**
 * The cost per message of a typed handler ({@code @Topic("sensors/{deviceId}/data") void data(@Param String deviceId,
 * BenchReading payload)}, bound by the route file the annotation processor generated) against a plain
 * {@link Handler} that does the same by hand ({@code devices.data(ctx.param("deviceId"), ctx.json(BenchReading.class))}).
 * One operation is one message: the route lookup, a new {@link Context}, and the handler (parameter, JSON read, call).
 * {@link #baseline()} is the lookup and the context alone. The messages cycle over {@value #TOPICS} devices.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class TypedHandlerBenchmark {
    private static final int TOPICS = 1024;

    private final ObjectMapper json = JsonMapper.builder().build();
    private BenchDevices typedDevices;
    private BenchDevices plainDevices;
    private RouteTable typed;
    private RouteTable plain;
    private Message[] messages;
    private int next;

    @Setup
    public void setup() {
        typedDevices = new BenchDevices();
        typed = Router.of(new BenchDevices_Routes(typedDevices)).build();
        plainDevices = new BenchDevices();
        BenchDevices devices = plainDevices;
        Handler byHand = ctx -> devices.data(ctx.param("deviceId"), ctx.json(BenchReading.class));
        Router router = Router.create();
        router.on("sensors/{deviceId}/data", byHand).qos(1);
        plain = router.build();
        messages = new Message[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            messages[i] = Message.of("sensors/device-" + i + "/data", "{\"temp\":" + (20 + i % 10) + ".5,\"unit\":\"C\"}");
        }
    }

    private Message nextMessage() {
        Message m = messages[next];
        next = (next + 1) & (TOPICS - 1);
        return m;
    }

    private Context context(RouteTable table, Message m) {
        Match match = table.match(m.topic());
        return new Context(m, match, null, json);
    }

    /** The generated binder. */
    @Benchmark
    public long typed() throws Exception {
        Context ctx = context(typed, nextMessage());
        ctx.route().handler().handle(ctx);
        return typedDevices.seen;
    }

    /** The same by hand. */
    @Benchmark
    public long plain() throws Exception {
        Context ctx = context(plain, nextMessage());
        ctx.route().handler().handle(ctx);
        return plainDevices.seen;
    }

    /** The route lookup and the context, without a handler. */
    @Benchmark
    public Context baseline() {
        return context(plain, nextMessage());
    }
}
