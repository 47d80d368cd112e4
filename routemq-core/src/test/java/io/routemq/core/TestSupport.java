package io.routemq.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** Small helpers shared by the core tests. */
final class TestSupport {
    private TestSupport() {
    }

    /** A handler that does nothing. */
    static final Handler NOOP = ctx -> { };

    /** An in-memory {@link Publisher} that records every publication it is given and completes at once. */
    static final class RecordingPublisher implements Publisher {
        final List<Publication> published = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Void> publish(Publication publication) {
            published.add(publication);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Dispatches one message and returns the future its acknowledgement completes. */
    static CompletableFuture<Outcome> send(Dispatcher d, Message m) throws InterruptedException {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        d.dispatch(m, f::complete);
        return f;
    }

    /** Dispatches one text message and waits for its outcome. */
    static Outcome sendAndWait(Dispatcher d, String topic, String payload) throws Exception {
        return await(send(d, Message.of(topic, payload)));
    }

    static Outcome await(CompletableFuture<Outcome> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(10, TimeUnit.SECONDS);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The route table's match for a topic, as a context with the given publisher. */
    static Context context(RouteTable table, Message message, Publisher publisher) {
        Match m = table.match(message.topic());
        if (m == null) throw new AssertionError("no route matches " + message.topic());
        return new Context(message, m, publisher, tools.jackson.databind.json.JsonMapper.builder().build());
    }

    /**
     * Checks the table's answers for one topic against brute force over {@link Route#accepts}: {@code matchAll} holds
     * exactly the accepting routes, and {@code match} is null when there are none, else the first of {@code matchAll}.
     * Returns the best match (null when none); {@code where} names the case in failure messages.
     */
    static Match checkAgainstBruteForce(RouteTable table, String topic, String where) {
        List<Route> expected = new ArrayList<>();
        for (Route r : table.routes()) if (r.accepts(topic)) expected.add(r);
        List<Route> all = table.matchAll(topic).stream().map(Match::route).toList();
        assertThat(all).as("routes for '%s' (%s)", topic, where).containsExactlyInAnyOrderElementsOf(expected);
        Match best = table.match(topic);
        if (expected.isEmpty()) {
            assertThat(best).as("'%s' (%s)", topic, where).isNull();
        } else {
            assertThat(best.route()).as("best route for '%s' (%s)", topic, where).isSameAs(all.get(0));
        }
        return best;
    }
}
