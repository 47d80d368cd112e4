package io.routemq.server.gateway;

import io.routemq.queue.DeadLetter;
import io.routemq.queue.DeadLetterQueue;
import io.routemq.queue.QueueStore;
import io.routemq.core.sink.Envelope;
import io.routemq.server.cli.DeadLetterCommands;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.ModuleConfigs;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;

/**
 * {@code routemq dlq list|show|replay|purge} over the dead-letter queues in the config's queue directory. The queue
 * directory is locked by a running gateway: stop it first (the error says so).
 */
public final class DeadLetterCli implements DeadLetterCommands {

    /** Used by {@link java.util.ServiceLoader}. */
    public DeadLetterCli() {
    }

    @Override
    public int list(GatewayConfig config, String sink, int limit, PrintWriter out) {
        try (QueueStore store = QueueStore.open(ModuleConfigs.queue(config.queue()))) {
            for (String name : sinks(store, sink)) {
                DeadLetterQueue dlq = store.deadLetters(name);
                out.printf("sink %s: %d dead letter(s)%n", name, dlq.size());
                for (DeadLetter d : dlq.list(0, limit)) {
                    out.printf("  #%d  offset %d  attempts %d  %s  %s  last error: %s%n", d.id(), d.originalOffset(), d.attempts(),
                            d.deadLetteredAt(), topic(d), d.lastError());
                }
            }
        }
        return 0;
    }

    @Override
    public int show(GatewayConfig config, String sink, String id, PrintWriter out) {
        try (QueueStore store = QueueStore.open(ModuleConfigs.queue(config.queue()))) {
            // ids are numbered per sink queue: without --sink, every queue's dead letter with this id is shown
            boolean found = false;
            for (String name : sinks(store, sink)) {
                Optional<DeadLetter> d = store.deadLetters(name).show(parseId(id));
                if (d.isEmpty()) continue;
                DeadLetter dl = d.get();
                out.printf("sink %s dead letter #%d%n  original offset: %d%n  attempts: %d%n  first failure: %s%n  last failure: %s%n"
                                + "  dead-lettered: %s%n  last error: %s%n", name, dl.id(), dl.originalOffset(), dl.attempts(),
                        dl.firstFailureAt(), dl.lastFailureAt(), dl.deadLetteredAt(), dl.lastError());
                try {
                    Envelope e = Envelope.decode(dl.payload());
                    out.printf("  route: %s%n  session: %s%n  topic: %s%n  params: %s%n  qos: %d%n  payload (%d bytes): %s%n", e.route(),
                            e.session(), e.topic(), e.params(), e.qos(), e.payload().length,
                            new String(e.payload(), 0, Math.min(e.payload().length, 2048), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException ex) {
                    out.printf("  record (%d bytes) is not an envelope: %s%n", dl.payload().length, ex.getMessage());
                }
                found = true;
            }
            if (found) return 0;
            out.printf("no dead letter #%s%s%n", id, sink == null ? "" : " in sink " + sink);
            return 1;
        }
    }

    @Override
    public int replay(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) {
        return apply(config, sink, ids, all, out, DeadLetterQueue::replayAll, DeadLetterQueue::replay, "moved back to the queue");
    }

    @Override
    public int purge(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) {
        return apply(config, sink, ids, all, out, DeadLetterQueue::purgeAll, DeadLetterQueue::purge, "deleted");
    }

    /** Replay and purge: the same selection of dead letters, then one operation on each (or on all). */
    private static int apply(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out,
                             ToLongFunction<DeadLetterQueue> onAll, BiPredicate<DeadLetterQueue, Long> onOne, String done) {
        try (QueueStore store = QueueStore.open(ModuleConfigs.queue(config.queue()))) {
            List<String> names = sinks(store, sink);
            if (all) {
                for (String name : names) out.printf("sink %s: %d dead letter(s) %s%n", name, onAll.applyAsLong(store.deadLetters(name)), done);
                return 0;
            }
            Map<Long, String> targets = resolve(store, names, ids, out);
            if (targets == null) return 1;
            targets.forEach((id, name) -> {
                if (onOne.test(store.deadLetters(name), id)) out.printf("sink %s: #%d %s%n", name, id, done);
            });
            return 0;
        }
    }

    /**
     * Finds the one queue that holds each id. Ids are numbered per sink queue, so with several queues selected (no
     * {@code --sink}, or a fan-out sink) the same id may name different messages: such an id, or one found nowhere,
     * is reported and nothing is changed (returns null).
     */
    private static Map<Long, String> resolve(QueueStore store, List<String> names, List<String> ids, PrintWriter out) {
        Map<Long, String> targets = new LinkedHashMap<>();
        boolean ok = true;
        for (String raw : ids) {
            long id = parseId(raw);
            List<String> holders = new ArrayList<>();
            for (String name : names) if (store.deadLetters(name).show(id).isPresent()) holders.add(name);
            if (holders.isEmpty()) {
                out.printf("no dead letter #%d%s%n", id, names.size() == 1 ? " in sink " + names.get(0) : "");
                ok = false;
            } else if (holders.size() > 1) {
                out.printf("dead letter #%d is ambiguous: ids are numbered per sink queue and #%d exists in %s; name the sink "
                        + "with --sink%n", id, id, String.join(", ", holders));
                ok = false;
            } else {
                targets.put(id, holders.get(0));
            }
        }
        if (!ok) out.println("nothing was changed");
        return ok ? targets : null;
    }

    /** The queue names of a configured sink (one per URL for fan-out), or of every queue in the store. */
    private static List<String> sinks(QueueStore store, String sink) {
        List<String> out = new ArrayList<>();
        for (String name : store.sinks()) {
            if (sink == null || name.equals(sink) || name.startsWith(ModuleConfigs.queueName(sink) + ".")) out.add(name);
        }
        if (sink != null && out.isEmpty()) {
            throw new IllegalArgumentException("no queue for sink '" + sink + "' in " + store.config().dir() + "; queues there: " + store.sinks());
        }
        return out;
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id.startsWith("#") ? id.substring(1) : id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dead letter id '" + id + "' is not a number (see 'routemq dlq list')");
        }
    }

    private static String topic(DeadLetter d) {
        try {
            return Envelope.decode(d.payload()).topic();
        } catch (IllegalArgumentException e) {
            return "(not an envelope)";
        }
    }
}
