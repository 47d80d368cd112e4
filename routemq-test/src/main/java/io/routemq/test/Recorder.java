package io.routemq.test;

import io.routemq.core.Context;
import io.routemq.core.DispatchListener;
import io.routemq.core.ErrorHandler;
import io.routemq.core.Message;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import io.routemq.core.Route;
import io.routemq.core.TopicPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Keeps what the dispatcher reported (each route's outcome, unmatched messages, failures) and what handlers
 * published, and lets the test thread wait for them. One monitor guards everything; waits are bounded.
 */
final class Recorder implements DispatchListener, ErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(RouteMqTester.class);
    /** Failure messages list at most this many lines of what happened. */
    private static final int MAX_LINES = 25;

    private final List<HandledMessage> handled = new ArrayList<>();
    private final List<Publication> published = new ArrayList<>();
    private final Map<Message, Throwable> errors = new IdentityHashMap<>();

    @Override
    public void onError(Context ctx, Throwable error, int attempts) {
        log.warn("route '{}' failed on topic '{}' after {} attempt(s)", ctx.route().name(), ctx.topic(), attempts, error);
        synchronized (this) {
            errors.put(ctx.message(), error);
        }
    }

    @Override
    public synchronized void onRouteOutcome(Route route, Message message, Outcome outcome, long nanos) {
        Throwable error = outcome == Outcome.FAILED ? errors.remove(message) : null;
        handled.add(new HandledMessage(route.name(), message.topic(), message.payload(), outcome, error));
        notifyAll();
    }

    @Override
    public synchronized void onUnmatched(Message message) {
        handled.add(new HandledMessage(null, message.topic(), message.payload(), Outcome.UNMATCHED, null));
        notifyAll();
    }

    synchronized void published(Publication publication) {
        published.add(publication);
        notifyAll();
    }

    synchronized List<HandledMessage> handled(Predicate<HandledMessage> which) {
        return handled.stream().filter(which).toList();
    }

    synchronized List<Publication> published(Predicate<Publication> which) {
        return published.stream().filter(which).toList();
    }

    synchronized void clear() {
        handled.clear();
        published.clear();
        errors.clear();
    }

    /** Waits until {@code n} outcomes of {@code route} are HANDLED; the failure says what happened instead. */
    synchronized List<HandledMessage> awaitHandled(String route, int n, Duration timeout) {
        Predicate<HandledMessage> which = h -> route.equals(h.route()) && h.outcome() == Outcome.HANDLED;
        await(() -> handled(which).size() >= n, () -> "expected " + n + " message(s) handled by route '" + route
                + "' within " + seconds(timeout) + ", but it handled " + handled(which).size() + "; what the routes did since"
                + " the test started (" + handled.size() + " outcome(s)):" + lines(handled), timeout);
        return handled(which);
    }

    /** Waits until handlers made {@code n} publications to topics matching {@code filter}. */
    synchronized List<Publication> awaitPublished(String filter, int n, Duration timeout) {
        TopicPattern pattern = TopicPattern.ofFilter(filter);
        Predicate<Publication> which = p -> pattern.matches(p.topic());
        await(() -> published(which).size() >= n, () -> "expected " + n + " publication(s) to '" + filter + "' within "
                + seconds(timeout) + ", but there were " + published(which).size() + "; what the handlers published since"
                + " the test started (" + published.size() + "):" + lines(published.stream().map(Recorder::describe).toList())
                + "\nand what the routes did (" + handled.size() + " outcome(s)):" + lines(handled), timeout);
        return published(which);
    }

    private void await(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> failure, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError(failure.get());
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    static String describe(Publication p) {
        String text = new String(p.payload(), StandardCharsets.UTF_8);
        if (text.length() > 80) text = text.substring(0, 77) + "...";
        return p.topic() + " (qos " + p.qos() + (p.retain() ? ", retained" : "") + "): " + text;
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static String lines(List<?> items) {
        if (items.isEmpty()) return " nothing";
        StringBuilder b = new StringBuilder();
        int from = Math.max(0, items.size() - MAX_LINES);
        if (from > 0) b.append("\n  ... ").append(from).append(" earlier");
        for (int i = from; i < items.size(); i++) b.append("\n  ").append(items.get(i));
        return b.toString();
    }
}
