package io.routemq.bench.jmh;

/** The JSON payload of {@link TypedHandlerBenchmark}: {@code {"temp":21.5,"unit":"C"}}. */
public record BenchReading(double temp, String unit) {
}
