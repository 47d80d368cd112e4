package io.routemq.queue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A queue on a real 5 MB file system (tmpfs, needs root as in CI; skipped with the reason elsewhere): fill it,
 * appends are refused with {@link QueueNoSpaceException}, delivery and commit delete segments although the disk is
 * full, appends resume by themselves, nothing acknowledged is lost, and the checkpoint is valid after a reopen.
 */
class DiskFullTest {
    private static final int PAYLOAD = 1000;

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger queueLogger;

    @BeforeEach
    void captureLogs() {
        queueLogger = (Logger) LoggerFactory.getLogger("io.routemq.queue");
        logs.start();
        queueLogger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        queueLogger.detachAppender(logs);
    }

    private static byte[] payload(int i) {
        byte[] b = new byte[PAYLOAD];
        ByteBuffer.wrap(b).putInt(i);
        return b;
    }

    private static int id(QueueRecord r) {
        return ByteBuffer.wrap(r.payload()).getInt();
    }

    private static QueueConfig config(Path dir, long segmentBytes) {
        return QueueConfig.builder(dir).segmentBytes(segmentBytes).fsync(FsyncPolicy.always()).build();
    }

    /**
     * With 256 KB segments the commit deletes sealed segments; with the default 64 MB the one active segment holds
     * everything and is replaced by an empty one once all of it is delivered.
     */
    @ParameterizedTest(name = "segments of {0} bytes")
    @ValueSource(longs = {256 * 1024, 64L << 20})
    void fullDiskRefusesAppendsThenCommitFreesSpaceAndAppendsResumeWithoutLoss(long segmentBytes) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp, "5m")) {
            Path dir = disk.dir().resolve("queue");
            List<Integer> acked = new ArrayList<>();
            int refusedProbes = 0;
            long lastCommitted;
            int firstAfterResume;
            try (QueueStore store = QueueStore.open(config(dir, segmentBytes))) {
                DurableQueue q = store.queue("full");
                Path ckpt = dir.resolve("full").resolve("queue").resolve("committed.ckpt");
                assertThat(ckpt).as("checkpoint space reserved at open").hasSize(64);

                int i = 0;
                QueueException refusal = null;
                while (refusal == null) {
                    try {
                        assertThat(q.append(payload(i)).join()).isEqualTo((long) i);
                        acked.add(i++);
                    } catch (CompletionException e) {
                        assertThat(e.getCause()).isInstanceOf(QueueNoSpaceException.class);
                        refusal = (QueueException) e.getCause();
                    }
                    if (i > 20_000) {
                        fail("5 MB never filled up after " + i + " appends of " + PAYLOAD + " bytes");
                    }
                }
                int stored = acked.size();
                assertThat(refusal).hasMessageContaining("no space left").hasMessageContaining("NOT enqueued");
                // refused at once (no probe within 1s of the failure), each with the typed error
                for (int k = 0; k < 300; k++) {
                    try {
                        q.append(payload(-1)).join();
                        fail("append " + k + " succeeded on a full disk");
                    } catch (CompletionException e) {
                        assertThat(e.getCause()).isInstanceOf(QueueNoSpaceException.class);
                        refusedProbes++;
                    }
                }
                assertThat(q.appendsRefused()).hasValueSatisfying(r -> assertThat(r).contains("no space left"));
                long errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).count();
                assertThat(errors).as("one ERROR for the episode, not one per refused record").isEqualTo(1);

                // deliver everything and commit: the checkpoint needs no new space, segments are deleted
                List<QueueRecord> all = new ArrayList<>();
                long next = q.committedOffset() + 1;
                List<QueueRecord> page;
                while (!(page = q.read(next, 500)).isEmpty()) {
                    all.addAll(page);
                    next = page.getLast().offset() + 1;
                }
                assertThat(all).extracting(DiskFullTest::id).containsExactlyElementsOf(acked);
                lastCommitted = all.getLast().offset();
                long freeBefore = disk.usableBytes();
                q.commit(lastCommitted);
                await().atMost(Duration.ofSeconds(10)).until(() -> disk.usableBytes() > 4L << 20);
                assertThat(segments(dir.resolve("full").resolve("queue"))).isEqualTo(1);
                long freeAfter = disk.usableBytes();

                // appends resume by themselves (no restart)
                long resumeStart = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    try {
                        q.append(payload(-2)).join();
                        return true;
                    } catch (CompletionException e) {
                        assertThat(e.getCause()).isInstanceOf(QueueNoSpaceException.class);
                        return false;
                    }
                });
                long resumeMs = (System.nanoTime() - resumeStart) / 1_000_000;
                firstAfterResume = i;
                for (int k = 0; k < 500; k++) {
                    q.append(payload(i)).join();
                    acked.add(i++);
                }
                assertThat(q.appendsRefused()).isEmpty();
                System.out.printf("disk full (segments of %d KB): %d records of %d B stored on 5 MB, then %d refused; commit freed %d KB"
                        + " (free %d -> %d KB); appends resumed %d ms after the commit; %d more stored%n", segmentBytes / 1024, stored,
                        PAYLOAD, refusedProbes, (freeAfter - freeBefore) / 1024, freeBefore / 1024, freeAfter / 1024,
                        resumeMs, acked.size() - stored);
            }
            // reopen: the checkpoint is valid and nothing acknowledged is lost
            try (QueueStore store = QueueStore.open(config(dir, segmentBytes))) {
                DurableQueue q = store.queue("full");
                assertThat(q.committedOffset()).isEqualTo(lastCommitted);
                List<QueueRecord> rest = q.read(lastCommitted + 1, 10_000);
                // the probe record (-2) that reopened the queue, then every record appended after it
                assertThat(rest).extracting(DiskFullTest::id).first().isEqualTo(-2);
                assertThat(rest.subList(1, rest.size())).extracting(DiskFullTest::id)
                        .containsExactlyElementsOf(acked.subList(acked.indexOf(firstAfterResume), acked.size()));
            }
            long warnOrError = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).count();
            System.out.printf("log lines at WARN or above during the episode: %d%n", warnOrError);
        }
    }

    @Test
    void emptyCheckpointLeftByACrashRecoversFromTheOldestRecordAndIsReservedAgain() throws Exception {
        Path dir = tmp.resolve("q");
        try (QueueStore store = QueueStore.open(config(dir, 64L << 20))) {
            DurableQueue q = store.queue("torn");
            for (int i = 0; i < 10; i++) {
                q.append(payload(i)).join();
            }
        }
        Path ckpt = dir.resolve("torn").resolve("queue").resolve("committed.ckpt");
        Files.write(ckpt, new byte[0]); // what a crash while the old code first created the file left behind
        try (QueueStore store = QueueStore.open(config(dir, 64L << 20))) {
            DurableQueue q = store.queue("torn");
            assertThat(q.committedOffset()).isEqualTo(-1);
            assertThat(q.read(0, 100)).extracting(DiskFullTest::id).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(ckpt).hasSize(64);
            q.commit(4);
        }
        try (QueueStore store = QueueStore.open(config(dir, 64L << 20))) {
            assertThat(store.queue("torn").committedOffset()).isEqualTo(4);
        }
    }

    @Test
    void aTornCheckpointSlotFallsBackToThePreviousCommittedOffset() throws Exception {
        Path dir = tmp.resolve("q2");
        try (QueueStore store = QueueStore.open(config(dir, 64L << 20))) {
            DurableQueue q = store.queue("torn2");
            for (int i = 0; i < 10; i++) {
                q.append(payload(i)).join();
            }
            q.commit(3);
            Thread.sleep(300); // the writer saves the checkpoint within ~100 ms
            q.commit(6);
        }
        Path ckpt = dir.resolve("torn2").resolve("queue").resolve("committed.ckpt");
        byte[] bytes = Files.readAllBytes(ckpt);
        assertThat(bytes).hasSize(64);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int newest = b.getLong(8) > b.getLong(32 + 8) ? 0 : 32;
        assertThat(b.getLong(newest + 16)).isEqualTo(6);
        bytes[newest + 20] ^= 0x5A; // a write torn inside the newest slot: its CRC no longer matches
        Files.write(ckpt, bytes);
        try (QueueStore store = QueueStore.open(config(dir, 64L << 20))) {
            DurableQueue q = store.queue("torn2");
            assertThat(q.committedOffset()).as("the previous slot's value").isEqualTo(3);
            assertThat(q.read(q.committedOffset() + 1, 100)).extracting(DiskFullTest::id).containsExactly(4, 5, 6, 7, 8, 9);
        }
    }

    private static long segments(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }
}
