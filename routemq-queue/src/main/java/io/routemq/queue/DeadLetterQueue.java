package io.routemq.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The dead letters of one sink: records that delivery gave up on, or that overflowed under
 * {@link OverflowPolicy#DEAD_LETTER}. Durable like the queue itself. The {@code routemq dlq} CLI uses this API
 * from its own process while the gateway is stopped (the store's directory lock refuses a second process).
 * All methods are thread-safe.
 */
public interface DeadLetterQueue {

    /** @return the sink name */
    String sink();

    /**
     * Stores a dead letter.
     *
     * @param payload        the record's bytes
     * @param originalOffset the record's offset in the sink's queue, {@code -1} if none
     * @param lastError      the last error (truncated to 4000 characters)
     * @param attempts       delivery attempts made
     * @param firstFailureAt time of the first failure
     * @param lastFailureAt  time of the last failure
     * @return completes with the dead letter's id once durable
     */
    CompletableFuture<Long> add(byte[] payload, long originalOffset, String lastError, int attempts,
                                Instant firstFailureAt, Instant lastFailureAt);

    /**
     * Lists dead letters in id order. Page with {@code list(lastOfPreviousPage.id() + 1, limit)}.
     *
     * @param fromId first id wanted (0 for the start)
     * @param limit  maximum number returned (positive)
     * @return up to {@code limit} dead letters with ids {@code >= fromId}
     */
    List<DeadLetter> list(long fromId, int limit);

    /**
     * @param id dead-letter id
     * @return the dead letter, or empty if there is none with that id (never stored, replayed or purged)
     */
    Optional<DeadLetter> show(long id);

    /**
     * Moves one dead letter back into the sink's queue (durably appended there, then removed here).
     *
     * @param id dead-letter id
     * @return true if it was replayed, false if there is no such id
     * @throws QueueFullException if the sink's queue has no room (nothing is changed)
     */
    boolean replay(long id);

    /**
     * Moves every dead letter back into the sink's queue, oldest first.
     *
     * @return number replayed
     * @throws QueueFullException if the sink's queue fills up; the message says how many were replayed
     */
    long replayAll();

    /**
     * Deletes one dead letter.
     *
     * @param id dead-letter id
     * @return true if it existed
     */
    boolean purge(long id);

    /** @return number of dead letters deleted */
    long purgeAll();

    /** @return number of dead letters held */
    long size();
}
