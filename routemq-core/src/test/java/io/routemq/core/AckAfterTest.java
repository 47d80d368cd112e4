package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static io.routemq.core.TestSupport.await;
import static io.routemq.core.TestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link Context#ackAfter}: the acknowledgement waits for the stages a handler hands it, as it waits for sink appends. */
class AckAfterTest {

    @Test
    void theAckWaitsForTheStageAndIsHandledWhenItCompletes() throws Exception {
        CompletableFuture<String> stored = new CompletableFuture<>();
        AtomicReference<Boolean> ran = new AtomicReference<>(false);
        Router router = Router.create();
        router.on("jobs/{id}", ctx -> {
            ctx.ackAfter(stored);
            ran.set(true);
        });
        try (Dispatcher d = Dispatcher.builder(router.build()).build()) {
            CompletableFuture<Outcome> ack = send(d, Message.of("jobs/1", "x"));
            await().until(ran::get);
            Thread.sleep(50);
            assertThat(ack).as("not acknowledged before the stage completes").isNotDone();
            stored.complete("id-1");
            assertThat(await(ack)).isEqualTo(Outcome.HANDLED);
        }
    }

    @Test
    void aFailedStageRejectsTheMessage() throws Exception {
        Router router = Router.create();
        router.on("jobs/{id}", ctx -> ctx.ackAfter(CompletableFuture.failedFuture(new IllegalStateException("store down"))));
        try (Dispatcher d = Dispatcher.builder(router.build()).build()) {
            assertThat(await(send(d, Message.of("jobs/1", "x")))).isEqualTo(Outcome.REJECTED);
        }
    }

    @Test
    void aForwardingRouteWaitsForBothItsAppendAndTheStage() throws Exception {
        SinkRoutesTest.HeldAppender sinks = new SinkRoutesTest.HeldAppender("ingest");
        CompletableFuture<Void> stored = new CompletableFuture<>();
        Router router = Router.create();
        router.on("t/{id}", ctx -> ctx.ackAfter(stored)).to("ingest");
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            CompletableFuture<Outcome> ack = send(d, Message.of("t/1", "x"));
            await().until(() -> sinks.appends.size() == 1);
            sinks.completeAll();
            Thread.sleep(50);
            assertThat(ack).as("the append is durable but the stage is not").isNotDone();
            stored.complete(null);
            assertThat(await(ack)).isEqualTo(Outcome.HANDLED);
        }
    }
}
