package io.routemq.bench.jmh;

import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.sink.Envelope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's per-message envelope work around the durable queue, one thread, on the bench's telemetry route
 * ({@code site/{site}/device/{id}/telemetry}, two parameters, a 64-byte JSON payload) over 1,000 topics:
 * <ul>
 *   <li>{@code enqueueSide}: match the topic, bind the parameters, make the {@link Envelope} and {@link Envelope#encode()
 *       encode} it (what the client's thread does before the queue append);</li>
 *   <li>{@code deliverySide}: {@link Envelope#decode decode} it and read every parameter through its entry set, as the HTTP
 *       sink's JSON body did (what the delivery worker does before a sink writes its body).</li>
 * </ul>
 * Average time per operation, in nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EnvelopeBenchmark {
    static final int TOPICS = 1024;

    private RouteTable table;
    private Message[] messages;
    private byte[][] encoded;
    private int next;

    /** The route table, the messages and their encoded envelopes. */
    @Setup(Level.Trial)
    public void setUp() {
        Router router = Router.create();
        router.forward("site/{site}/device/{id}/telemetry").name("telemetry").to("archive");
        table = router.build();
        messages = new Message[TOPICS];
        encoded = new byte[TOPICS][];
        byte[] payload = "{\"seq\":123456,\"t\":1733580000000,\"temp\":21.5,\"hum\":40.25,\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < TOPICS; i++) {
            messages[i] = Message.of("site/s" + (i % 10) + "/device/d" + i + "/telemetry", payload);
            encoded[i] = enqueue(messages[i]);
        }
    }

    private byte[] enqueue(Message m) {
        Match match = table.resolve(m.topic()).getFirst();
        return Envelope.of(m, match.route().name(), match.params(), 1_733_580_000_000L).encode();
    }

    /** Match, bind, envelope, encode. */
    @Benchmark
    public byte[] enqueueSide() {
        return enqueue(messages[next++ & (TOPICS - 1)]);
    }

    /** Decode, then every parameter read through the entry set. */
    @Benchmark
    public void deliverySide(Blackhole bh) {
        Envelope e = Envelope.decode(encoded[next++ & (TOPICS - 1)]);
        for (var p : e.params().entrySet()) {
            bh.consume(p.getKey());
            bh.consume(p.getValue());
        }
        bh.consume(e);
    }
}
