package io.routemq.queue.bench;

import io.routemq.queue.DurableQueue;
import io.routemq.queue.QueueConfig;
import io.routemq.queue.QueueListener;
import io.routemq.queue.QueueRecord;
import io.routemq.queue.QueueStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Benchmark (a main, not a test): the segment log against H2 MVStore, same group-commit + fsync policy.
 * For each store: N records of B bytes appended by T threads, each keeping W appends in flight (W=1: every
 * thread waits for its ack, like one MQTT message at a time; W=32: like a gateway with many in-flight messages),
 * then every record read back. Prints msgs/s, fsync count, average and max group size and disk use.
 *
 * <pre>
 * ./mvnw -q -o -pl routemq-queue test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.routemq.queue.bench.QueueBench [-Dexec.args="200000 100 16 /tmp/qbench"]
 * </pre>
 */
public final class QueueBench {
    private QueueBench() {
    }

    private record Result(String store, int window, double appendSeconds, double readSeconds, long fsyncs,
                          long maxGroup, long diskBytes) { }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path base = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"), "routemq-queue-bench");
        System.out.printf("QueueBench: %d records x %d B, %d appender threads, fsync per group commit, %d cores,"
                + " java %s, dir %s%n", records, size, threads, Runtime.getRuntime().availableProcessors(),
                Runtime.version(), base);
        List<Result> results = new ArrayList<>();
        // warm-up round (small), then measured rounds
        run("segment-log", records / 10, size, threads, 32, base);
        run("mvstore", records / 10, size, threads, 32, base);
        for (int window : new int[] {1, 32}) {
            results.add(run("segment-log", records, size, threads, window, base));
            results.add(run("mvstore", records, size, threads, window, base));
        }
        System.out.println();
        System.out.printf("%-12s %6s %12s %10s %12s %8s %9s %9s %10s%n", "store", "window", "append msg/s",
                "append s", "read msg/s", "fsyncs", "avg group", "max group", "disk MB");
        for (Result r : results) {
            System.out.printf("%-12s %6d %12.0f %10.2f %12.0f %8d %9.1f %9d %10.1f%n", r.store, r.window,
                    records / r.appendSeconds, r.appendSeconds, records / r.readSeconds, r.fsyncs,
                    (double) records / r.fsyncs, r.maxGroup, r.diskBytes / 1e6);
        }
    }

    private static Result run(String storeName, int records, int size, int threads, int window, Path base)
            throws Exception {
        Path dir = base.resolve(storeName + "-" + window + "-" + System.nanoTime());
        Files.createDirectories(dir);
        AtomicLong fsyncs = new AtomicLong();
        AtomicLong maxGroup = new AtomicLong();
        QueueListener listener = new QueueListener() {
            @Override
            public void fsynced(String sink, int n, long bytes, long nanos) {
                fsyncs.incrementAndGet();
                maxGroup.accumulateAndGet(n, Math::max);
            }
        };
        QueueStore store = null;
        MvStoreQueue mv = null;
        DurableQueue q;
        if (storeName.equals("segment-log")) {
            store = QueueStore.open(QueueConfig.builder(dir).listener(listener).build());
            q = store.queue("bench");
        } else {
            mv = new MvStoreQueue(dir.resolve("queue.mv.db"));
            q = mv;
        }
        byte[] payload = new byte[size];
        int perThread = records / threads;
        CountDownLatch done = new CountDownLatch(threads);
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                List<CompletableFuture<Long>> inflight = new ArrayList<>(window);
                for (int i = 0; i < perThread; i++) {
                    inflight.add(q.append(payload));
                    if (inflight.size() == window) {
                        inflight.forEach(CompletableFuture::join);
                        inflight.clear();
                    }
                }
                inflight.forEach(CompletableFuture::join);
                done.countDown();
            });
            th.start();
        }
        done.await();
        double appendSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        long next = 0;
        long count = 0;
        while (true) {
            List<QueueRecord> page = q.read(next, 1000);
            if (page.isEmpty()) {
                break;
            }
            count += page.size();
            next = page.getLast().offset() + 1;
        }
        double readSeconds = (System.nanoTime() - t1) / 1e9;
        if (count != (long) perThread * threads) {
            throw new IllegalStateException(storeName + ": read " + count + " records, expected "
                    + (long) perThread * threads);
        }
        long f = store != null ? fsyncs.get() : mv.fsyncs();
        long g = store != null ? maxGroup.get() : mv.maxGroup();
        if (store != null) {
            store.close();
        } else {
            mv.close();
        }
        long disk = diskBytes(dir);
        deleteTree(dir);
        System.out.printf("  %-12s window %2d: %,d records appended in %.2f s, read back in %.2f s%n", storeName,
                window, count, appendSeconds, readSeconds);
        return new Result(storeName, window, appendSeconds, readSeconds, f, g, disk);
    }

    private static long diskBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
