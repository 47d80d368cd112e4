package io.routemq.queue.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A pending append: one or more payloads that get consecutive offsets; the future gets the first offset. */
final class Pending {
    final byte[][] payloads;
    final long frameBytes;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long firstOffset;
    ScheduledFuture<?> timeout;

    Pending(byte[][] payloads) {
        this.payloads = payloads;
        long bytes = 0;
        for (byte[] p : payloads) {
            bytes += FrameCodec.FRAME_HEADER + p.length;
        }
        this.frameBytes = bytes;
    }
}
