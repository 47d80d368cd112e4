package io.routemq.jobs;

import java.time.Instant;

/**
 * A job that failed for good: its attempts are used up, or it could not be decoded (unknown type, bad JSON, a
 * newer version). It stays until it is retried or forgotten.
 *
 * @param id       the job's id ({@code routemq jobs retry ID})
 * @param queue    its queue
 * @param type     its type name as stored, or {@code ?} when the stored form could not be read
 * @param attempts the attempts made
 * @param reason   why it failed: the last error, or why it could not be decoded
 * @param failedAt when
 * @param raw      its stored JSON, unchanged, so that a retry runs it as dispatched
 */
public record FailedJob(String id, String queue, String type, int attempts, String reason, Instant failedAt, String raw) {
}
