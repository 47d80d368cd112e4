package io.routemq.bench.jmh;

import io.routemq.core.annotation.Controller;
import io.routemq.core.annotation.Param;
import io.routemq.core.annotation.Topic;

/**
 * The controller of {@link TypedHandlerBenchmark}: one typed handler, bound by the route file the annotation
 * processor generates ({@code BenchDevices_Routes}). The plain handler of the benchmark calls {@link #data} by hand.
 */
@Controller
public final class BenchDevices {
    /** What the handler saw, so that the JIT cannot drop the work. */
    long seen;

    @Topic(value = "sensors/{deviceId}/data", qos = 1)
    void data(@Param String deviceId, BenchReading payload) {
        seen += deviceId.length() + (long) payload.temp();
    }
}
