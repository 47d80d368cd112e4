package io.routemq.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OverflowTest {

    @TempDir
    Path dir;

    /** Frame of a 100-byte payload: 24-byte header + 100. */
    private static final int FRAME = 124;

    private static byte[] payload(int i) {
        byte[] b = new byte[100];
        b[0] = (byte) i;
        return b;
    }

    @Test
    void blockWaitsUntilCommitFreesSpaceThenAdmitsInOrder() throws Exception {
        AtomicInteger overflows = new AtomicInteger();
        QueueListener listener = new QueueListener() {
            @Override
            public void overflow(String sink, OverflowPolicy policy) {
                overflows.incrementAndGet();
            }
        };
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).maxBytes(5L * FRAME)
                .overflowPolicy(OverflowPolicy.BLOCK).listener(listener).build())) {
            DurableQueue q = store.queue("block");
            for (int i = 0; i < 5; i++) {
                assertThat(q.append(payload(i)).join()).isEqualTo(i);
            }
            assertThat(q.sizeBytes()).isEqualTo(5L * FRAME);
            CompletableFuture<Long> sixth = q.append(payload(5));
            CompletableFuture<Long> seventh = q.append(payload(6));
            Thread.sleep(300);
            assertThat(sixth).isNotDone();
            assertThat(seventh).isNotDone();
            assertThat(overflows.get()).isEqualTo(2);
            q.commit(0); // frees one record: admits exactly the sixth
            assertThat(sixth.get(10, TimeUnit.SECONDS)).isEqualTo(5);
            Thread.sleep(100);
            assertThat(seventh).isNotDone();
            q.commit(2);
            assertThat(seventh.get(10, TimeUnit.SECONDS)).isEqualTo(6);
            assertThat(q.read(5, 10)).extracting(r -> (int) r.payload()[0]).containsExactly(5, 6);
            assertThat(q.deadLetters().size()).isZero();
        }
    }

    @Test
    void blockTimesOutWithAClearException() throws Exception {
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).maxBytes(2L * FRAME)
                .overflowPolicy(OverflowPolicy.BLOCK).blockTimeout(Duration.ofMillis(200)).build())) {
            DurableQueue q = store.queue("timeout");
            q.append(payload(0)).join();
            q.append(payload(1)).join();
            CompletableFuture<Long> third = q.append(payload(2));
            assertThat(third).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingRootCause().isInstanceOf(QueueFullException.class)
                    .withMessageContaining("queue of sink 'timeout' is full")
                    .withMessageContaining("within 200 ms")
                    .withMessageContaining("NOT enqueued");
            // nothing half-stored: the queue still holds exactly the two records and accepts more after a commit
            assertThat(q.nextOffset()).isEqualTo(2);
            q.commit(1);
            assertThat(q.append(payload(3)).get(10, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void closingReleasesBlockedAppendsWithAnError() {
        QueueStore store = QueueStore.open(QueueConfig.builder(dir).maxBytes(FRAME).build());
        DurableQueue q = store.queue("close");
        q.append(payload(0)).join();
        CompletableFuture<Long> blocked = q.append(payload(1));
        store.close();
        assertThat(blocked).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingRootCause()
                .isInstanceOf(QueueClosedException.class).withMessageContaining("NOT enqueued");
    }

    @Test
    void deadLetterPolicyDivertsToTheDlqAndDropsNothing() throws Exception {
        AtomicInteger deadLettered = new AtomicInteger();
        QueueListener listener = new QueueListener() {
            @Override
            public void deadLettered(String sink, String reason) {
                deadLettered.incrementAndGet();
            }
        };
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).maxBytes(3L * FRAME)
                .overflowPolicy(OverflowPolicy.DEAD_LETTER).listener(listener).build())) {
            DurableQueue q = store.queue("dl");
            List<Long> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(q.append(payload(i)).get(10, TimeUnit.SECONDS));
            }
            assertThat(results).containsExactly(0L, 1L, 2L, -1L, -1L, -1L, -1L, -1L, -1L, -1L);
            assertThat(q.nextOffset()).isEqualTo(3);
            DeadLetterQueue dlq = q.deadLetters();
            assertThat(dlq.size()).isEqualTo(7);
            List<DeadLetter> all = dlq.list(0, 100);
            assertThat(all).extracting(d -> (int) d.payload()[0]).containsExactly(3, 4, 5, 6, 7, 8, 9);
            assertThat(all.getFirst().lastError()).contains("queue full").contains("DEAD_LETTER");
            assertThat(all.getFirst().originalOffset()).isEqualTo(-1);
            assertThat(all.getFirst().attempts()).isZero();
            await().atMost(5, TimeUnit.SECONDS).until(() -> deadLettered.get() == 7);
            // a batch that does not fit is diverted as a whole
            assertThat(q.appendAll(List.of(payload(10), payload(11))).join()).containsExactly(-1L, -1L);
            assertThat(dlq.size()).isEqualTo(9);
            // after delivery commits, appends go to the queue again
            q.commit(2);
            assertThat(q.append(payload(12)).join()).isEqualTo(3);
        }
    }

    @Test
    void aRecordThatCanNeverFitFailsAtOnce() {
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).maxBytes(100).build())) {
            DurableQueue q = store.queue("never");
            assertThat(q.append(new byte[200])).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingRootCause().isInstanceOf(QueueFullException.class)
                    .withMessageContaining("can never hold it");
        }
    }

    @Test
    void blockedAppendsAreAdmittedFifoUnderLoad() throws Exception {
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).maxBytes(10L * FRAME).build())) {
            DurableQueue q = store.queue("fifo");
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fs.add(q.append(payload(i)));
            }
            // a delivery worker: read, "deliver", commit
            long next = 0;
            while (next < 100) {
                assertThat(q.awaitRecords(next, Duration.ofSeconds(10))).isTrue();
                List<QueueRecord> page = q.read(next, 4);
                for (QueueRecord r : page) {
                    assertThat(r.payload()[0]).isEqualTo((byte) r.offset());
                }
                next = page.getLast().offset() + 1;
                q.commit(next - 1);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(fs.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
            }
        }
    }
}
