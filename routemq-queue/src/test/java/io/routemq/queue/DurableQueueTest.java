package io.routemq.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurableQueueTest {

    @TempDir
    Path dir;

    private QueueConfig.Builder config() {
        return QueueConfig.builder(dir);
    }

    @Test
    void appendReadCommitAndReopen() {
        try (QueueStore store = QueueStore.open(config().build())) {
            DurableQueue q = store.queue("orders");
            assertThat(q.nextOffset()).isZero();
            assertThat(q.committedOffset()).isEqualTo(-1);
            for (int i = 0; i < 100; i++) {
                assertThat(q.append(Payloads.of(i)).join()).isEqualTo(i);
            }
            assertThat(q.nextOffset()).isEqualTo(100);
            assertThat(q.sizeRecords()).isEqualTo(100);
            List<QueueRecord> first = q.read(0, 10);
            assertThat(first).extracting(QueueRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(first.get(3).payload()).isEqualTo(Payloads.of(3));
            assertThat(first.get(3).appendedAtMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
            assertThat(q.read(95, 10)).extracting(QueueRecord::offset).containsExactly(95L, 96L, 97L, 98L, 99L);
            assertThat(q.read(100, 10)).isEmpty();
            q.commit(41);
            assertThat(q.committedOffset()).isEqualTo(41);
            assertThat(q.sizeRecords()).isEqualTo(58);
            q.commit(10); // lower: no-op
            assertThat(q.committedOffset()).isEqualTo(41);
            assertThatThrownBy(() -> q.commit(100)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot commit offset 100").hasMessageContaining("orders");
        }
        try (QueueStore store = QueueStore.open(config().build())) {
            DurableQueue q = store.queue("orders");
            assertThat(q.committedOffset()).isEqualTo(41);
            assertThat(q.nextOffset()).isEqualTo(100);
            assertThat(q.read(q.committedOffset() + 1, 1).getFirst().payload()).isEqualTo(Payloads.of(42));
            assertThat(q.append(Payloads.of(100)).join()).isEqualTo(100);
            assertThat(q.read(99, 5)).extracting(QueueRecord::offset).containsExactly(99L, 100L);
            assertThat(store.sinks()).containsExactly("orders");
        }
    }

    /**
     * A delivery worker's pattern: read a window, read the next while the first is in flight, commit the first. The
     * commit finds its position where a recent read stopped; the size it leaves must be what a commit without any read
     * (a scan from the index) leaves, across segment boundaries and uneven windows.
     */
    @Test
    void commitsAfterWindowedReadsAccountTheSameBytesAsCommitsWithoutReads() {
        QueueConfig cfg = config().segmentBytes(4096).build();
        try (QueueStore store = QueueStore.open(cfg)) {
            DurableQueue read = store.queue("read");
            DurableQueue plain = store.queue("plain");
            for (int i = 0; i < 1000; i++) {
                byte[] p = new byte[1 + (i * 37) % 200];
                p[0] = (byte) i;
                read.append(p);
                plain.append(p).join();
            }
            read.append(new byte[1]).join();
            plain.append(new byte[1]).join();
            assertThat(read.sizeBytes()).isEqualTo(plain.sizeBytes());
            long next = 0;
            List<Long> windowEnds = new ArrayList<>();
            int[] windows = {7, 64, 1, 13, 250, 3, 99};
            for (int w = 0; next <= 1000; w++) {
                List<QueueRecord> page = read.read(next, windows[w % windows.length]);
                next = page.getLast().offset() + 1;
                windowEnds.add(next - 1);
                if (windowEnds.size() >= 2) {
                    long commit = windowEnds.get(windowEnds.size() - 2);
                    read.commit(commit);
                    plain.commit(commit);
                    assertThat(read.sizeBytes()).as("after committing %d", commit).isEqualTo(plain.sizeBytes());
                    assertThat(read.sizeRecords()).isEqualTo(plain.sizeRecords());
                }
            }
            read.commit(1000);
            plain.commit(1000);
            assertThat(read.sizeBytes()).isZero().isEqualTo(plain.sizeBytes());
        }
    }

    @Test
    void rollsSegmentsReadsAcrossThemAndDeletesCommittedOnes() throws Exception {
        QueueConfig cfg = config().segmentBytes(4096).build();
        try (QueueStore store = QueueStore.open(cfg)) {
            DurableQueue q = store.queue("s");
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                fs.add(q.append(Payloads.of(i)));
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(fs.get(i).join()).isEqualTo(i);
            }
            assertThat(segments("s")).hasSizeGreaterThan(10);
            // read everything in pages, across segment boundaries
            long next = 0;
            int count = 0;
            while (true) {
                List<QueueRecord> page = q.read(next, 37);
                if (page.isEmpty()) {
                    break;
                }
                for (QueueRecord r : page) {
                    assertThat(r.offset()).isEqualTo(next);
                    assertThat(Payloads.indexOf(r.payload())).isEqualTo(next);
                    next++;
                    count++;
                }
            }
            assertThat(count).isEqualTo(1000);
            // random access
            assertThat(q.read(777, 1).getFirst().payload()).isEqualTo(Payloads.of(777));
            long before = q.sizeBytes();
            int segsBefore = segments("s").size();
            q.commit(899);
            assertThat(q.sizeBytes()).isLessThan(before);
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> segments("s").size() < segsBefore);
            assertThat(q.read(0, 1).getFirst().offset()).isLessThanOrEqualTo(900);
            assertThat(q.read(900, 1).getFirst().payload()).isEqualTo(Payloads.of(900));
            q.commit(999);
            assertThat(q.sizeBytes()).isZero();
            assertThat(q.sizeRecords()).isZero();
        }
        try (QueueStore store = QueueStore.open(cfg)) {
            DurableQueue q = store.queue("s");
            assertThat(q.committedOffset()).isEqualTo(999);
            assertThat(q.nextOffset()).isEqualTo(1000);
            assertThat(q.sizeBytes()).isZero();
            assertThat(q.append(Payloads.of(1000)).join()).isEqualTo(1000);
        }
    }

    @Test
    void appendAllGetsConsecutiveOffsets() {
        try (QueueStore store = QueueStore.open(config().build())) {
            DurableQueue q = store.queue("batch");
            q.append(Payloads.of(0)).join();
            List<Long> offsets = q.appendAll(List.of(Payloads.of(1), Payloads.of(2), Payloads.of(3))).join();
            assertThat(offsets).containsExactly(1L, 2L, 3L);
            assertThat(q.appendAll(List.of()).join()).isEmpty();
            assertThat(q.read(0, 10)).hasSize(4);
        }
    }

    @Test
    void awaitRecordsWakesOnAppend() throws Exception {
        try (QueueStore store = QueueStore.open(config().build())) {
            DurableQueue q = store.queue("wait");
            assertThat(q.awaitRecords(0, Duration.ofMillis(50))).isFalse();
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return q.awaitRecords(0, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(100);
            assertThat(waiter).isNotDone();
            q.append(Payloads.of(0)).join();
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(q.awaitRecords(0, Duration.ZERO)).isTrue();
        }
    }

    @Test
    void intervalAndNeverFsyncPoliciesWork() {
        for (FsyncPolicy policy : List.of(FsyncPolicy.interval(Duration.ofMillis(10)), FsyncPolicy.never())) {
            String sink = "p-" + policy.mode().name().toLowerCase();
            try (QueueStore store = QueueStore.open(config().fsync(policy).build())) {
                DurableQueue q = store.queue(sink);
                for (int i = 0; i < 50; i++) {
                    q.append(Payloads.of(i));
                }
                assertThat(q.append(Payloads.of(50)).join()).isEqualTo(50);
                q.commit(9);
            }
            try (QueueStore store = QueueStore.open(config().fsync(policy).build())) {
                DurableQueue q = store.queue(sink);
                assertThat(q.nextOffset()).isEqualTo(51);
                assertThat(q.committedOffset()).isEqualTo(9);
            }
        }
    }

    @Test
    void closedStoreFailsClearly() {
        QueueStore store = QueueStore.open(config().build());
        DurableQueue q = store.queue("c");
        store.close();
        assertThat(q.append(Payloads.of(1))).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().havingRootCause().isInstanceOf(QueueClosedException.class)
                .withMessageContaining("closed");
        assertThatThrownBy(() -> store.queue("c")).isInstanceOf(QueueClosedException.class);
    }

    @Test
    void rejectsBadSinkNamesAndOversizedRecords() {
        try (QueueStore store = QueueStore.open(config().segmentBytes(1024).build())) {
            assertThatThrownBy(() -> store.queue("../etc")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid sink name '../etc'");
            assertThatThrownBy(() -> store.queue("")).isInstanceOf(IllegalArgumentException.class);
            DurableQueue q = store.queue("small");
            assertThat(q.append(new byte[2000])).failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat().havingRootCause().isInstanceOf(QueueFullException.class)
                    .withMessageContaining("larger than a queue segment can hold");
            assertThatThrownBy(() -> q.read(0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void configValidation() {
        assertThatThrownBy(() -> config().segmentBytes(10).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentBytes");
        assertThatThrownBy(() -> config().maxBytes(0).build()).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> FsyncPolicy.interval(Duration.ZERO)).hasMessageContaining("interval");
        assertThat(FsyncPolicy.interval(Duration.ofMillis(10)).toString()).isEqualTo("interval(10ms)");
    }

    private List<Path> segments(String sink) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(sink).resolve("queue"))) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}
