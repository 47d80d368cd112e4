package io.routemq.server.cli;

import io.routemq.server.config.GatewayConfig;

import java.io.PrintWriter;
import java.util.List;

/**
 * The work behind {@code routemq dlq list|show|replay|purge}: the queue module's dead letters. The gateway runtime
 * implements it; {@link RouteMqCli} finds it with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.routemq.server.cli.DeadLetterCommands}) unless one is passed to its constructor. The
 * CLI has already checked that a named sink exists in the config. Each method prints to {@code out} and returns the
 * exit code (0 on success, 1 on failure).
 */
public interface DeadLetterCommands {

    /**
     * Lists dead letters, newest first, of the config's sinks only (queues of other configs sharing the directory
     * are named, not listed).
     *
     * @param sink  only this sink's, or null for every sink of the config
     * @param limit at most this many
     */
    int list(GatewayConfig config, String sink, int limit, PrintWriter out) throws Exception;

    /**
     * Shows one dead letter in full: topic, properties, payload, the last error, the attempts.
     *
     * @param sink the sink it belongs to, or null to search every sink
     * @param id   its id as {@code list} prints it
     */
    int show(GatewayConfig config, String sink, String id, PrintWriter out) throws Exception;

    /**
     * Puts dead letters back on their sink's queue for delivery.
     *
     * @param sink the sink, or null for every sink
     * @param ids  the ids; empty together with {@code all}
     * @param all  replay every dead letter (of the sink)
     */
    int replay(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) throws Exception;

    /**
     * Deletes dead letters for good.
     *
     * @param sink the sink, or null for every sink
     * @param ids  the ids; empty together with {@code all}
     * @param all  delete every dead letter (of the sink)
     */
    int purge(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) throws Exception;
}
