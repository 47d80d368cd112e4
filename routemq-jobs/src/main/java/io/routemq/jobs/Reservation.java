package io.routemq.jobs;

/**
 * A job a worker has reserved from a {@link JobStore}: nobody else runs it until it is completed, released, failed,
 * or its lease runs out.
 *
 * @param id       the job's id
 * @param queue    its queue
 * @param raw      its stored JSON, as written at dispatch
 * @param attempts the attempts made so far, this one included (1 on the first run)
 * @param handle   the driver's own handle for it
 */
public record Reservation(String id, String queue, String raw, int attempts, Object handle) {
}
