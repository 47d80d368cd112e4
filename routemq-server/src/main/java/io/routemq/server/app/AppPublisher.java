package io.routemq.server.app;

import io.routemq.core.Publication;
import io.routemq.core.Publisher;

import java.util.concurrent.CompletableFuture;

/**
 * The {@link Publisher} the application's components get injected. Components are built before the sessions start
 * (their routes are part of the start), so this one forwards to the sessions once they exist; a publish issued before
 * that (by a constructor, say) waits for them instead of failing.
 */
final class AppPublisher implements Publisher {
    private final CompletableFuture<Publisher> target = new CompletableFuture<>();

    @Override
    public CompletableFuture<Void> publish(Publication publication) {
        Publisher p = target.getNow(null);
        return p != null ? p.publish(publication) : target.thenCompose(t -> t.publish(publication));
    }

    /** Connects this publisher to the running sessions. */
    void bind(Publisher sessions) {
        target.complete(sessions);
    }

    /** Fails the publishes still waiting (the start failed). */
    void fail(Throwable cause) {
        target.completeExceptionally(cause);
    }
}
