package io.routemq.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentAppendTest {

    @TempDir
    Path dir;

    @Test
    void concurrentAppendersGetDistinctOffsetsAndShareFsyncs() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        AtomicInteger maxBatch = new AtomicInteger();
        AtomicLong fsyncs = new AtomicLong();
        AtomicLong appended = new AtomicLong();
        QueueListener listener = new QueueListener() {
            @Override
            public void fsynced(String sink, int records, long bytes, long fsyncNanos) {
                fsyncs.incrementAndGet();
                maxBatch.accumulateAndGet(records, Math::max);
            }

            @Override
            public void appended(String sink, int records, long bytes) {
                appended.addAndGet(records);
            }
        };
        Set<Long> offsets = ConcurrentHashMap.newKeySet();
        ConcurrentHashMap<Long, Long> indexByOffset = new ConcurrentHashMap<>();
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).segmentBytes(1 << 20).listener(listener)
                .build())) {
            DurableQueue q = store.queue("concurrent");
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    // each thread keeps a window of 64 appends in flight
                    List<CompletableFuture<Long>> window = new ArrayList<>();
                    List<Long> indexes = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        long index = (long) thread * perThread + i;
                        window.add(q.append(Payloads.of(index)));
                        indexes.add(index);
                        if (window.size() == 64 || i == perThread - 1) {
                            for (int k = 0; k < window.size(); k++) {
                                long offset = window.get(k).join();
                                assertThat(offsets.add(offset)).as("offset %d handed out twice", offset).isTrue();
                                indexByOffset.put(offset, indexes.get(k));
                            }
                            window.clear();
                            indexes.clear();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get();
            }
            pool.shutdown();
            assertThat(offsets).hasSize(threads * perThread);
            assertThat(offsets).allMatch(o -> o >= 0 && o < threads * perThread);
            long next = 0;
            while (next < threads * perThread) {
                List<QueueRecord> page = q.read(next, 5000);
                assertThat(page).isNotEmpty();
                for (QueueRecord r : page) {
                    assertThat(r.offset()).isEqualTo(next);
                    assertThat(Payloads.indexOf(r.payload())).isEqualTo(indexByOffset.get(r.offset()));
                    next++;
                }
            }
            assertThat(appended.get()).isEqualTo(threads * perThread);
        }
        // group commit: fewer forces than records, and at least one batch carried several records
        assertThat(maxBatch.get()).isGreaterThan(1);
        assertThat(fsyncs.get()).isLessThan(threads * perThread);
    }
}
