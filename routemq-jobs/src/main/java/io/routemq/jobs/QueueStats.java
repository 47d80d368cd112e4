package io.routemq.jobs;

/**
 * The jobs of one queue, as its store counts them now.
 *
 * @param queue     the queue
 * @param ready     waiting to run
 * @param delayed   waiting for their time (a delay or a retry's backoff)
 * @param running   reserved by a worker
 * @param failed    failed for good
 * @param completed completed since the store was created, as far as the driver counts them
 */
public record QueueStats(String queue, long ready, long delayed, long running, long failed, long completed) {
}
