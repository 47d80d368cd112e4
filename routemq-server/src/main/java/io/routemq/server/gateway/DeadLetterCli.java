package io.routemq.server.gateway;

import io.routemq.queue.DeadLetter;
import io.routemq.queue.DeadLetterQueue;
import io.routemq.queue.QueueStore;
import io.routemq.core.sink.Envelope;
import io.routemq.server.cli.DeadLetterCommands;
import io.routemq.server.config.GatewayConfig;
import io.routemq.server.config.ModuleConfigs;
import io.routemq.server.config.SinkConfig;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;

/**
 * {@code routemq dlq list|show|replay|purge} over the dead-letter queues in the config's queue directory: only the
 * queues of the config's sinks, even when other configs share the directory. {@code list} shows the newest first.
 * The queue directory is locked by a running gateway: stop it first (the error says so).
 */
public final class DeadLetterCli implements DeadLetterCommands {
    private static final int PAGE = 500;

    /** Used by {@link java.util.ServiceLoader}. */
    public DeadLetterCli() {
    }

    @Override
    public int list(GatewayConfig config, String sink, int limit, PrintWriter out) {
        try (QueueStore store = QueueStore.open(config.queue())) {
            for (String name : queues(store, config, sink)) {
                long size = present(store, name) ? store.deadLetters(name).size() : 0;
                List<DeadLetter> newest = present(store, name) ? newest(store.deadLetters(name), limit) : List.of();
                out.printf("sink %s: %d dead letter(s)%s%n", name, size, size == 0 ? ""
                        : size > newest.size() ? ", the newest " + newest.size() + " first (-n to see more)" : ", newest first");
                for (DeadLetter d : newest) {
                    out.printf("  #%d  offset %d  attempts %d  %s  %s  last error: %s%n", d.id(), d.originalOffset(), d.attempts(),
                            d.deadLetteredAt(), topic(d), d.lastError());
                }
            }
            if (sink == null) {
                List<String> others = others(store, config);
                if (!others.isEmpty()) {
                    out.printf("not listed: %s in %s, queue(s) of sinks that are not in this config%n", String.join(", ", others),
                            store.config().dir());
                }
            }
        }
        return 0;
    }

    /** The newest {@code limit} dead letters, newest first (ids increase, so paging in id order keeps the last ones). */
    private static List<DeadLetter> newest(DeadLetterQueue dlq, int limit) {
        ArrayDeque<DeadLetter> last = new ArrayDeque<>(limit);
        long from = 0;
        while (true) {
            List<DeadLetter> page = dlq.list(from, PAGE);
            for (DeadLetter d : page) {
                if (last.size() == limit) last.removeFirst();
                last.addLast(d);
            }
            if (page.size() < PAGE) break;
            from = page.get(page.size() - 1).id() + 1;
        }
        List<DeadLetter> out = new ArrayList<>(last);
        Collections.reverse(out);
        return out;
    }

    @Override
    public int show(GatewayConfig config, String sink, String id, PrintWriter out) {
        long wanted = parseId(id);
        try (QueueStore store = QueueStore.open(config.queue())) {
            // ids are numbered per sink queue: without --sink, every queue's dead letter with this id is shown
            boolean found = false;
            for (String name : present(store, queues(store, config, sink))) {
                Optional<DeadLetter> d = store.deadLetters(name).show(wanted);
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
        try (QueueStore store = QueueStore.open(config.queue())) {
            List<String> names = present(store, queues(store, config, sink));
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

    /**
     * The queue names of the config's sinks (one per URL for a fan-out sink, named as the gateway names them), or of
     * the one sink (or one fan-out queue) named by {@code sink}. Queues of other configs that share the directory are
     * never selected.
     */
    static List<String> queues(QueueStore store, GatewayConfig config, String sink) {
        List<String> out = new ArrayList<>();
        for (SinkConfig sc : config.sinks().values()) {
            List<String> names = new ArrayList<>();
            for (String n : ModuleConfigs.sinkNames(sc)) names.add(ModuleConfigs.queueName(n));
            if (sink == null || sink.equals(sc.name())) out.addAll(names);
            else if (names.contains(sink)) out.add(sink);
        }
        if (sink != null && out.isEmpty()) {
            throw new IllegalArgumentException("no queue for sink '" + sink + "' in " + store.config().dir()
                    + "; the sinks of this config are " + String.join(", ", config.sinks().keySet()));
        }
        return out;
    }

    /** Whether the directory holds a queue of that name (without creating one). */
    private static boolean present(QueueStore store, String name) {
        return store.sinks().contains(name);
    }

    private static List<String> present(QueueStore store, List<String> names) {
        return names.stream().filter(n -> present(store, n)).toList();
    }

    /** The queues in the directory that no sink of this config owns. */
    private static List<String> others(QueueStore store, GatewayConfig config) {
        List<String> mine = queues(store, config, null);
        return store.sinks().stream().filter(n -> !mine.contains(n)).sorted().toList();
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
