package io.routemq.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterQueueTest {

    @TempDir
    Path dir;

    private static final Instant FIRST = Instant.parse("2025-01-02T10:00:00Z");
    private static final Instant LAST = Instant.parse("2025-01-02T10:05:00Z");

    private QueueStore open() {
        return QueueStore.open(QueueConfig.builder(dir).segmentBytes(4096).build());
    }

    private static void fill(DeadLetterQueue dlq, int n) {
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(dlq.add(Payloads.of(i), 1000 + i, "HTTP 503 from https://ingest.example/v1 (attempt " + i + ")",
                    8, FIRST, LAST));
        }
        for (int i = 0; i < n; i++) {
            assertThat(fs.get(i).join()).isEqualTo(i);
        }
    }

    @Test
    void listShowReplayPurgeAndPersistence() {
        try (QueueStore store = open()) {
            DeadLetterQueue dlq = store.deadLetters("http");
            fill(dlq, 100);
            assertThat(dlq.size()).isEqualTo(100);
            DeadLetter d = dlq.show(7).orElseThrow();
            assertThat(d.id()).isEqualTo(7);
            assertThat(d.sink()).isEqualTo("http");
            assertThat(d.originalOffset()).isEqualTo(1007);
            assertThat(d.payload()).isEqualTo(Payloads.of(7));
            assertThat(d.lastError()).isEqualTo("HTTP 503 from https://ingest.example/v1 (attempt 7)");
            assertThat(d.attempts()).isEqualTo(8);
            assertThat(d.firstFailureAt()).isEqualTo(FIRST);
            assertThat(d.lastFailureAt()).isEqualTo(LAST);
            assertThat(d.deadLetteredAt()).isAfter(LAST);
            assertThat(dlq.show(100)).isEmpty();
            assertThat(dlq.show(-5)).isEmpty();

            // paging
            List<Long> seen = new ArrayList<>();
            long from = 0;
            while (true) {
                List<DeadLetter> page = dlq.list(from, 30);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(x -> seen.add(x.id()));
                from = page.getLast().id() + 1;
            }
            assertThat(seen).hasSize(100).isSorted();

            // purge one in the middle and the first one
            assertThat(dlq.purge(50)).isTrue();
            assertThat(dlq.purge(50)).isFalse();
            assertThat(dlq.purge(0)).isTrue();
            assertThat(dlq.show(50)).isEmpty();
            assertThat(dlq.size()).isEqualTo(98);
            assertThat(dlq.list(49, 3)).extracting(DeadLetter::id).containsExactly(49L, 51L, 52L);

            // replay one into the queue
            DurableQueue q = store.queue("http");
            assertThat(dlq.replay(7)).isTrue();
            assertThat(dlq.replay(7)).isFalse();
            assertThat(q.read(0, 10)).singleElement().satisfies(r -> assertThat(r.payload()).isEqualTo(Payloads.of(7)));
            assertThat(dlq.size()).isEqualTo(97);
        }
        try (QueueStore store = open()) {
            DeadLetterQueue dlq = store.deadLetters("http");
            assertThat(dlq.size()).isEqualTo(97);
            assertThat(dlq.show(0)).isEmpty();
            assertThat(dlq.show(7)).isEmpty();
            assertThat(dlq.show(50)).isEmpty();
            assertThat(dlq.show(51)).isPresent();
            assertThat(dlq.list(0, 1)).extracting(DeadLetter::id).containsExactly(1L);
            assertThat(store.queue("http").nextOffset()).isEqualTo(1);

            // replay all: moves everything back, oldest first
            assertThat(dlq.replayAll()).isEqualTo(97);
            assertThat(dlq.size()).isZero();
            assertThat(dlq.list(0, 10)).isEmpty();
            List<QueueRecord> records = store.queue("http").read(0, 1000);
            assertThat(records).hasSize(98);
            assertThat(Payloads.indexOf(records.get(1).payload())).isEqualTo(1);
            assertThat(Payloads.indexOf(records.getLast().payload())).isEqualTo(99);
        }
        try (QueueStore store = open()) {
            DeadLetterQueue dlq = store.deadLetters("http");
            assertThat(dlq.size()).isZero();
            fill2(dlq);
            assertThat(dlq.purgeAll()).isEqualTo(5);
            assertThat(dlq.size()).isZero();
            assertThat(dlq.list(0, 10)).isEmpty();
        }
        try (QueueStore store = open()) {
            DeadLetterQueue dlq = store.deadLetters("http");
            assertThat(dlq.size()).isZero();
            // ids are never reused
            assertThat(dlq.add(Payloads.of(1), -1, "x", 1, FIRST, LAST).join()).isEqualTo(105);
        }
    }

    private static void fill2(DeadLetterQueue dlq) {
        for (int i = 0; i < 5; i++) {
            dlq.add(Payloads.of(i), -1, "boom", 1, FIRST, LAST).join();
        }
    }

    @Test
    void replayIntoAFullQueueFailsClearlyAndKeepsTheDeadLetters() {
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).maxBytes(3 * 200).build())) {
            DeadLetterQueue dlq = store.deadLetters("full");
            for (int i = 0; i < 10; i++) {
                dlq.add(new byte[100], -1, "e", 1, FIRST, LAST).join();
            }
            assertThatThrownBy(dlq::replayAll).isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("replayed 4 dead letters of sink 'full'")
                    .hasMessageContaining("6 remain");
            assertThat(dlq.size()).isEqualTo(6);
            assertThat(store.queue("full").nextOffset()).isEqualTo(4);
            assertThatThrownBy(() -> dlq.replay(5)).isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("cannot replay");
            assertThat(dlq.show(5)).isPresent();
        }
    }

    @Test
    void cliStyleAccessFromAnotherProcessAfterTheGatewayStops() throws Exception {
        try (QueueStore store = open()) {
            fill(store.deadLetters("cli"), 3);
        }
        // what 'routemq dlq list' does: a separate process opening the directory
        String out = CrashRecoveryTest.runChild("open", dir.toString());
        assertThat(out).isEqualTo("OPENED");
        try (QueueStore store = open()) {
            assertThat(store.sinks()).contains("cli", "orders");
            assertThat(store.deadLetters("cli").size()).isEqualTo(3);
        }
    }

    @Test
    void longErrorsAreTruncated() {
        try (QueueStore store = open()) {
            DeadLetterQueue dlq = store.deadLetters("long");
            long id = dlq.add(new byte[1], -1, "x".repeat(10_000), 1, FIRST, LAST).join();
            assertThat(dlq.show(id).orElseThrow().lastError()).hasSize(4003).endsWith("...");
            assertThatThrownBy(() -> dlq.list(0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
