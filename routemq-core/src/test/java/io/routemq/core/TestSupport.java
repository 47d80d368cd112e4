package io.routemq.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
}
