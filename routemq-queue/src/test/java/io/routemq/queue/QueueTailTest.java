package io.routemq.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class QueueTailTest {

    @TempDir
    Path dir;

    @Test
    void followsAppendsAcrossSegmentRollsAndDeletions() throws IOException {
        try (QueueTail tail = QueueTail.open(dir, "orders")) {
            assertThat(tail.nextOffset()).as("no queue yet").isZero();
            try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).segmentBytes(200_000).build())) {
                DurableQueue q = store.queue("orders");
                assertThat(tail.nextOffset()).as("an empty queue").isZero();
                long offset = 0;
                for (int round = 0; round < 60; round++) {
                    int n = 1 + round % 7;
                    for (int i = 0; i < n; i++) {
                        // every 13th record larger than the tail's 64 KiB read chunk
                        byte[] payload = offset % 13 == 5 ? new byte[70_000] : Payloads.of(offset);
                        q.append(payload).join();
                        offset++;
                    }
                    assertThat(tail.nextOffset()).as("after round %d", round).isEqualTo(q.nextOffset()).isEqualTo(offset);
                    if (round % 10 == 9) q.commit(offset - 1); // delivered segments are deleted
                }
                assertThat(segments()).as("the log rolled").hasSizeGreaterThan(1);
            }
        }
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).segmentBytes(200_000).build());
             QueueTail later = QueueTail.open(dir, "orders")) {
            DurableQueue q = store.queue("orders");
            assertThat(later.nextOffset()).as("a new tail on a reopened queue").isEqualTo(q.nextOffset());
            q.append(Payloads.of(1)).join();
            assertThat(later.nextOffset()).isEqualTo(q.nextOffset());
        }
    }

    @Test
    void countsNoFrameThatIsIncompleteOrDoesNotMatchItsChecksum() throws IOException {
        try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).build())) {
            DurableQueue q = store.queue("orders");
            for (int i = 0; i < 10; i++) q.append(Payloads.of(i)).join();
        }
        Path segment = segments().getLast();
        long end = Files.size(segment);
        try (QueueTail tail = QueueTail.open(dir, "orders")) {
            assertThat(tail.nextOffset()).isEqualTo(10);
            // a frame being written: its header and half its payload
            byte[] frame = frameLike(segment, end);
            append(segment, ByteBuffer.wrap(frame, 0, 24 + 5));
            assertThat(tail.nextOffset()).as("half a frame").isEqualTo(10);
            // the rest of it, with one byte of the payload wrong: its checksum does not match
            frame[30] ^= 1;
            append(segment, ByteBuffer.wrap(frame, 29, frame.length - 29));
            assertThat(tail.nextOffset()).as("a frame whose checksum does not match").isEqualTo(10);
            // put the byte right: now it counts
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                frame[30] ^= 1;
                ch.write(ByteBuffer.wrap(frame, 30, 1), end + 30);
            }
            assertThat(tail.nextOffset()).as("the completed frame").isEqualTo(11);
        }
    }

    /** A copy of the segment's last frame (found by walking the frames), as the frame of the next offset. */
    private static byte[] frameLike(Path segment, long end) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(segment));
        int at = 16;
        int last = at;
        while (at < end) {
            last = at;
            at += 24 + all.getInt(at);
        }
        byte[] frame = new byte[at - last];
        all.get(last, frame);
        ByteBuffer f = ByteBuffer.wrap(frame);
        f.putLong(8, f.getLong(8) + 1);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(frame, 0, 4);
        crc.update(frame, 8, frame.length - 8);
        f.putInt(4, (int) crc.getValue());
        return frame;
    }

    private static void append(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(bytes);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("orders").resolve("queue"))) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}
