package io.routemq.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable, offset-based queue of one sink: an append-only log of opaque records.
 *
 * <p>Producers {@link #append(byte[]) append}; the returned future completes with the record's offset only after
 * the record is durable under the configured {@link FsyncPolicy} (many concurrent appends share one fsync).
 * Delivery workers {@link #read(long, int) read} from {@code committedOffset() + 1}, deliver, then
 * {@link #commit(long) commit}; after a restart delivery resumes at the first uncommitted record (at-least-once).
 * All methods are thread-safe.
 */
public interface DurableQueue {

    /**
     * The value an append future completes with when {@link OverflowPolicy#DEAD_LETTER} diverted the record to the
     * dead-letter queue (the record is durable there, so the message may be acknowledged).
     */
    long DEAD_LETTERED = -1L;

    /** @return the sink name */
    String name();

    /**
     * Appends one record.
     *
     * @param payload the bytes (not copied; do not modify after the call)
     * @return completes with the offset once durable, with {@link #DEAD_LETTERED} if diverted to the dead-letter
     *         queue, or exceptionally with {@link QueueFullException} (BLOCK timeout, record larger than the
     *         bound), {@link QueueNoSpaceException} (the disk is full; appends resume by themselves once space is
     *         back), {@link QueueClosedException} or {@link QueueException} (I/O failure); never dropped silently
     */
    CompletableFuture<Long> append(byte[] payload);

    /**
     * Appends records as one unit: they get consecutive offsets and become durable together.
     *
     * @param payloads the records
     * @return completes with the offsets in order (each {@link #DEAD_LETTERED} if the batch was diverted)
     */
    CompletableFuture<List<Long>> appendAll(List<byte[]> payloads);

    /**
     * Reads durable records in offset order.
     *
     * @param fromOffset first offset wanted; records below the oldest retained offset are skipped
     * @param maxRecords maximum number of records to return (positive)
     * @return up to {@code maxRecords} records with offsets {@code >= fromOffset}; empty if none yet
     */
    List<QueueRecord> read(long fromOffset, int maxRecords);

    /**
     * Waits until a record with an offset {@code >= fromOffset} is readable, so workers need not poll.
     *
     * @param fromOffset offset wanted
     * @param timeout    maximum wait
     * @return true if such a record is readable, false on timeout or when the store closes
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitRecords(long fromOffset, Duration timeout) throws InterruptedException;

    /**
     * Marks every record up to and including {@code offsetInclusive} as delivered. Space is reclaimed (whole
     * segments deleted) and blocked appends are admitted. Committing an offset at or below the current committed
     * offset does nothing. The committed offset is persisted by the writer within about 100 ms and on close.
     *
     * @param offsetInclusive the last delivered offset
     * @throws IllegalArgumentException if the offset is not yet readable ({@code >= nextOffset()})
     */
    void commit(long offsetInclusive);

    /** @return the last committed offset, {@code -1} if nothing was ever committed */
    long committedOffset();

    /** @return one past the newest readable record: the offset the next durable record will get */
    long nextOffset();

    /** @return number of readable, uncommitted records */
    long sizeRecords();

    /** @return bytes of uncommitted records, including appends accepted but not yet written (frame sizes) */
    long sizeBytes();

    /**
     * Why appends fail right now, for health reports: the disk is full (until space is back), or an earlier write
     * failed (until a restart).
     *
     * @return the reason, naming the directory, or empty while appends are accepted
     */
    default Optional<String> appendsRefused() {
        return Optional.empty();
    }

    /** @return this sink's dead-letter queue */
    DeadLetterQueue deadLetters();
}
