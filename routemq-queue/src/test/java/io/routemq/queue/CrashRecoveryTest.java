package io.routemq.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CrashRecoveryTest {

    @TempDir
    Path dir;

    static Process startChild(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                QueueChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void killMinus9KeepsEveryAcknowledgedRecord() throws Exception {
        Map<Long, Long> acked = new HashMap<>();
        Process child = startChild("append", dir.toString(), "4", "65536");
        CountDownLatch enough = new CountDownLatch(3000);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        String[] p = line.split(" ");
                        synchronized (acked) {
                            acked.put(Long.parseLong(p[1]), Long.parseLong(p[2]));
                        }
                        enough.countDown();
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
        });
        reader.start();
        try {
            assertThat(enough.await(60, TimeUnit.SECONDS)).as("child acknowledged 3000 records").isTrue();
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        reader.join(10_000);
        assertThat(child.exitValue()).isEqualTo(137);
        Map<Long, Long> ack;
        synchronized (acked) {
            ack = new HashMap<>(acked);
        }
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).segmentBytes(65536).build())) {
            DurableQueue q = store.queue("crash");
            Map<Long, byte[]> all = new HashMap<>();
            long next = 0;
            while (true) {
                List<QueueRecord> page = q.read(next, 1000);
                if (page.isEmpty()) {
                    break;
                }
                for (QueueRecord r : page) {
                    assertThat(r.offset()).as("offsets are consecutive").isEqualTo(next);
                    assertThat(Payloads.indexOf(r.payload())).as("record %d is intact", r.offset())
                            .isGreaterThanOrEqualTo(0);
                    all.put(r.offset(), r.payload());
                    next++;
                }
            }
            assertThat(next).isEqualTo(q.nextOffset());
            for (Map.Entry<Long, Long> e : ack.entrySet()) {
                assertThat(all).as("acknowledged offset %d", e.getKey()).containsKey(e.getKey());
                assertThat(all.get(e.getKey())).isEqualTo(Payloads.of(e.getValue()));
            }
            long before = q.nextOffset();
            assertThat(q.append(Payloads.of(999_999)).join()).isEqualTo(before);
        }
    }

    private void writeRecords(String sink, int n, long segmentBytes) {
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).segmentBytes(segmentBytes)
                .fsync(FsyncPolicy.never()).build())) {
            DurableQueue q = store.queue(sink);
            for (int i = 0; i < n - 1; i++) {
                q.append(Payloads.of(i));
            }
            q.append(Payloads.of(n - 1)).join();
        }
    }

    private List<Path> segments(String sink) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(sink).resolve("queue"))) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private QueueStore reopen(long segmentBytes) {
        return QueueStore.open(QueueConfig.builder(dir).segmentBytes(segmentBytes).build());
    }

    @Test
    void truncatedTailIsDroppedAndEarlierRecordsKept() throws Exception {
        writeRecords("torn", 50, 1 << 20);
        Path seg = segments("torn").getLast();
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(f.length() - 7); // cut the last record mid-payload
        }
        try (QueueStore store = reopen(1 << 20)) {
            DurableQueue q = store.queue("torn");
            assertThat(q.nextOffset()).isEqualTo(49);
            List<QueueRecord> all = q.read(0, 100);
            assertThat(all).hasSize(49);
            for (QueueRecord r : all) {
                assertThat(r.payload()).isEqualTo(Payloads.of(r.offset()));
            }
            assertThat(q.append(Payloads.of(49)).join()).isEqualTo(49);
            assertThat(q.read(49, 1).getFirst().payload()).isEqualTo(Payloads.of(49));
        }
        try (QueueStore store = reopen(1 << 20)) {
            assertThat(store.queue("torn").read(0, 100)).hasSize(50);
        }
    }

    @Test
    void flippedBytesInLastRecordAreDropped() throws Exception {
        writeRecords("flip", 30, 1 << 20);
        Path seg = segments("flip").getLast();
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            long pos = f.length() - 3;
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0xFF);
        }
        try (QueueStore store = reopen(1 << 20)) {
            DurableQueue q = store.queue("flip");
            assertThat(q.nextOffset()).isEqualTo(29);
            assertThat(q.read(0, 100)).extracting(QueueRecord::offset).hasSize(29).endsWith(28L);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsDropped() throws Exception {
        writeRecords("garbage", 20, 1 << 20);
        Path seg = segments("garbage").getLast();
        Files.write(seg, new byte[] {0, 0, 0, 5, 1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        try (QueueStore store = reopen(1 << 20)) {
            DurableQueue q = store.queue("garbage");
            assertThat(q.nextOffset()).isEqualTo(20);
            assertThat(q.append(Payloads.of(20)).join()).isEqualTo(20);
        }
    }

    @Test
    void corruptionInAnOlderSegmentIsAClearError() throws Exception {
        writeRecords("old", 200, 2048);
        Path first = segments("old").getFirst();
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x55);
        }
        assertThatThrownBy(() -> {
            try (QueueStore store = reopen(2048)) {
                store.queue("old");
            }
        }).isInstanceOf(QueueCorruptedException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("corrupt at byte")
                .hasMessageContaining("truncate the file");
        // the failed open released the directory
        try (QueueStore store = reopen(2048)) {
            assertThatThrownBy(() -> store.queue("old")).isInstanceOf(QueueCorruptedException.class);
            assertThat(store.queue("other").nextOffset()).isZero();
        }
    }

    @Test
    void aForeignFileNamedLikeASegmentIsAClearError() throws Exception {
        Path qdir = dir.resolve("foreign").resolve("queue");
        Files.createDirectories(qdir);
        Path bogus = qdir.resolve("00000000000000000000.seg");
        Files.writeString(bogus, "this is not a segment at all");
        assertThatThrownBy(() -> {
            try (QueueStore store = reopen(1 << 20)) {
                store.queue("foreign");
            }
        }).isInstanceOf(QueueCorruptedException.class)
                .hasMessageContaining(bogus.toString())
                .hasMessageContaining("not a RouteMQ queue segment");
        Files.delete(bogus);
        Files.writeString(qdir.resolve("12.seg"), "x");
        assertThatThrownBy(() -> {
            try (QueueStore store = reopen(1 << 20)) {
                store.queue("foreign");
            }
        }).isInstanceOf(QueueCorruptedException.class).hasMessageContaining("12.seg");
    }

    @Test
    void damagedCommittedOffsetFallsBackToRedelivery() throws Exception {
        try (QueueStore store = reopen(1 << 20)) {
            DurableQueue q = store.queue("ckpt");
            for (int i = 0; i < 10; i++) {
                q.append(Payloads.of(i)).join();
            }
            q.commit(5);
        }
        Files.write(dir.resolve("ckpt").resolve("queue").resolve("committed.ckpt"), new byte[64]);
        try (QueueStore store = reopen(1 << 20)) {
            DurableQueue q = store.queue("ckpt");
            assertThat(q.committedOffset()).isEqualTo(-1);
            assertThat(q.nextOffset()).isEqualTo(10);
            assertThat(q.sizeRecords()).isEqualTo(10);
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAClearError() throws Exception {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> QueueStore.open(QueueConfig.builder(file).build()))
                .isInstanceOf(QueueException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a directory");
        Path below = file.resolve("queue");
        assertThatThrownBy(() -> QueueStore.open(QueueConfig.builder(below).build()))
                .isInstanceOf(QueueException.class)
                .hasMessageContaining(below.toString());
        // a sink directory blocked by a file
        try (QueueStore store = reopen(1 << 20)) {
            Files.writeString(dir.resolve("blocked"), "x");
            assertThatThrownBy(() -> store.queue("blocked")).isInstanceOf(QueueException.class)
                    .hasMessageContaining(dir.resolve("blocked").toString());
        }
    }

    @Test
    void secondProcessGetsAClearLockError() throws Exception {
        try (QueueStore store = reopen(1 << 20)) {
            store.queue("orders").append(Payloads.of(1)).join();
            assertThatThrownBy(() -> QueueStore.open(QueueConfig.builder(dir).build()))
                    .isInstanceOf(QueueLockedException.class).hasMessageContaining("already open in this process");
            String out = runChild("open", dir.toString());
            assertThat(out).startsWith("ERROR QueueLockedException")
                    .contains(dir.toAbsolutePath().toString())
                    .contains("pid " + ProcessHandle.current().pid())
                    .contains("stop the gateway");
        }
        assertThat(runChild("open", dir.toString())).startsWith("OPENED");
    }

    static String runChild(String... args) throws Exception {
        Process p = startChild(args);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
