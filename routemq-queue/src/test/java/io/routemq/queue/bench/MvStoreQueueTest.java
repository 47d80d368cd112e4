package io.routemq.queue.bench;

import io.routemq.queue.QueueRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the benchmark's MVStore contender honest: it must store and return what the bench measures. */
class MvStoreQueueTest {

    @TempDir
    Path dir;

    @Test
    void appendsReadsCommitsAndReopens() {
        Path file = dir.resolve("q.mv.db");
        try (MvStoreQueue q = new MvStoreQueue(file)) {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fs.add(q.append(new byte[] {(byte) i}));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(fs.get(i).join()).isEqualTo(i);
            }
            assertThat(q.fsyncs()).isBetween(1L, 100L);
            List<QueueRecord> recs = q.read(10, 5);
            assertThat(recs).extracting(QueueRecord::offset).containsExactly(10L, 11L, 12L, 13L, 14L);
            assertThat(recs.getFirst().payload()).containsExactly(10);
            q.commit(49);
            q.append(new byte[] {100}).join(); // makes the commit durable with the next group
        }
        try (MvStoreQueue q = new MvStoreQueue(file)) {
            assertThat(q.nextOffset()).isEqualTo(101);
            assertThat(q.committedOffset()).isEqualTo(49);
            assertThat(q.read(0, 1).getFirst().offset()).isEqualTo(50);
        }
    }
}
