package io.routemq.server.gateway;

import io.routemq.core.Acknowledgement;
import io.routemq.core.DispatchListener;
import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.core.Outcome;
import io.routemq.core.RouteTable;
import io.routemq.core.sink.Envelope;
import io.routemq.mqtt.MessageSink;
import io.routemq.queue.DurableQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's receive path: matches a message to its routes, applies their filters, and appends its envelope to
 * the durable queue of every target sink. The acknowledgement fires only when every append is durable
 * ({@link Outcome#HANDLED}); a failed append leaves the message unacknowledged ({@link Outcome#REJECTED}) so the
 * broker delivers it again.
 *
 * <p>Appends are pipelined rather than awaited one by one: {@link #accept} returns as soon as the appends are
 * issued, in arrival order, so messages of one topic keep their order in the queue while many share one fsync
 * (group commit). At most {@code maxInFlight} messages wait for durability; beyond that {@link #accept} blocks, which
 * stops reading from the broker.
 */
public final class EnqueueStep implements MessageSink {
    private static final Logger log = LoggerFactory.getLogger(EnqueueStep.class);
    /** At most one ERROR line per this interval for refused appends (a full disk refuses every message). */
    private static final long REJECT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RouteTable table;
    private final Map<String, SinkRoute> routes;
    private final DispatchListener listener;
    private final Semaphore permits;
    private final AtomicLong lastRejectLog = new AtomicLong(System.nanoTime() - REJECT_LOG_INTERVAL_NANOS);
    private final AtomicLong rejectsNotLogged = new AtomicLong();

    /**
     * A receive path over a route table.
     *
     * @param routes      the run-time routes by route name; every route of the table must be present
     * @param maxInFlight the most messages waiting for durability at once
     */
    public EnqueueStep(RouteTable table, Map<String, SinkRoute> routes, DispatchListener listener, int maxInFlight) {
        this.table = table;
        this.routes = Map.copyOf(routes);
        this.listener = listener;
        this.permits = new Semaphore(maxInFlight);
        table.routes().forEach(r -> {
            if (!this.routes.containsKey(r.name())) throw new IllegalArgumentException("no sink route for route '" + r.name() + "'");
        });
    }

    @Override
    public void accept(Message message, Acknowledgement ack) throws InterruptedException {
        long start = System.nanoTime();
        List<Match> matches = table.resolve(message.topic());
        if (matches.isEmpty()) {
            log.debug("no route matches topic '{}' (session {})", message.topic(), message.session());
            listener.onUnmatched(message);
            ack.complete(Outcome.UNMATCHED);
            return;
        }
        List<CompletableFuture<?>> appends = new ArrayList<>(2);
        List<Match> forwarded = new ArrayList<>(matches.size());
        for (Match match : matches) {
            SinkRoute route = routes.get(match.route().name());
            boolean pass;
            try {
                pass = route.filter().test(message, match);
            } catch (RuntimeException e) {
                log.warn("route '{}': filter failed on topic '{}', message filtered out: {}", route.name(), message.topic(), e.toString());
                pass = false;
            }
            if (!pass) {
                listener.onRouteOutcome(match.route(), message, Outcome.FILTERED, System.nanoTime() - start);
                continue;
            }
            forwarded.add(match);
        }
        if (forwarded.isEmpty()) {
            ack.complete(Outcome.FILTERED);
            return;
        }
        permits.acquire();
        try {
            long now = System.currentTimeMillis();
            for (Match match : forwarded) {
                Envelope env = new Envelope(match.route().name(), message.session(), message.topic(), match.params(),
                        message.payload(), message.qos(), message.retain(), message.properties().userProperties(),
                        message.properties().contentType(), now);
                byte[] record = env.encode();
                for (DurableQueue q : routes.get(match.route().name()).queues()) appends.add(q.append(record));
            }
        } catch (RuntimeException e) {
            appends.add(CompletableFuture.failedFuture(e));
        }
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).whenComplete((v, err) -> {
            permits.release();
            Outcome outcome;
            if (err == null) {
                outcome = Outcome.HANDLED;
            } else {
                outcome = Outcome.REJECTED;
                logRejected(message.topic(), err);
            }
            long nanos = System.nanoTime() - start;
            for (Match m : forwarded) listener.onRouteOutcome(m.route(), message, outcome, nanos);
            ack.complete(outcome);
        });
    }

    /** One ERROR line, then at most one per 10s that counts the messages refused in between. */
    private void logRejected(String topic, Throwable err) {
        long now = System.nanoTime();
        long last = lastRejectLog.get();
        if (now - last < REJECT_LOG_INTERVAL_NANOS || !lastRejectLog.compareAndSet(last, now)) {
            rejectsNotLogged.incrementAndGet();
            return;
        }
        long more = rejectsNotLogged.getAndSet(0);
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        log.error("could not durably enqueue the message on topic '{}'; it is not acknowledged, so the broker will deliver it "
                + "again: {}{}", topic, cause.getMessage(), more == 0 ? "" : " (" + more + " more message(s) refused since the "
                + "previous line, not logged one by one)");
    }
}
