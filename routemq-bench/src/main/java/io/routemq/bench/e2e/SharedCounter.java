package io.routemq.bench.e2e;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Two counters in a memory-mapped file that a consumer process writes and the bench process reads while a phase
 * runs: messages received and distinct messages received. The load generator's closed loop and the end-of-phase wait
 * read them without a round trip to the consumer (one atomic add per message in the consumer, as its
 * {@link Receipts} already does in memory).
 */
final class SharedCounter implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int RECEIVED = 0;
    private static final int DISTINCT = 8;
    private final FileChannel channel;
    private final MappedByteBuffer buffer;

    private SharedCounter(FileChannel channel, MappedByteBuffer buffer) {
        this.channel = channel;
        this.buffer = buffer;
    }

    /** Maps (and creates if needed) the file. */
    static SharedCounter open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new SharedCounter(ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, 16));
    }

    void reset() {
        LONGS.setVolatile(buffer, RECEIVED, 0L);
        LONGS.setVolatile(buffer, DISTINCT, 0L);
    }

    void add(boolean distinct) {
        LONGS.getAndAdd(buffer, RECEIVED, 1L);
        if (distinct) LONGS.getAndAdd(buffer, DISTINCT, 1L);
    }

    long received() {
        return (long) LONGS.getVolatile(buffer, RECEIVED);
    }

    long distinct() {
        return (long) LONGS.getVolatile(buffer, DISTINCT);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // the mapping stays valid until collected
        }
    }
}
