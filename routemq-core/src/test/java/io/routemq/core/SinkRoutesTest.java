package io.routemq.core;

import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.routemq.core.TestSupport.await;
import static io.routemq.core.TestSupport.send;
import static io.routemq.core.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Routes that forward to sinks ({@link RouteBuilder#to}, {@link Router#forward}): the middleware, then the handler,
 * then the durable append; the acknowledgement only once every append is durable; no append after a failed handler.
 */
class SinkRoutesTest {

    /**
     * An in-memory appender whose appends complete only when the test says so, so that the test can see what was
     * acknowledged before and after durability.
     */
    static final class HeldAppender implements SinkAppender {
        record Append(List<String> sinks, Envelope envelope, CompletableFuture<Void> done) {
        }

        final Set<String> names;
        final List<Append> appends = new CopyOnWriteArrayList<>();
        volatile boolean complete;

        HeldAppender(String... names) {
            this.names = Set.of(names);
        }

        @Override
        public Set<String> sinks() {
            return names;
        }

        @Override
        public CompletableFuture<Void> append(List<String> sinks, Envelope envelope) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            appends.add(new Append(sinks, envelope, f));
            if (complete) f.complete(null);
            return f;
        }

        void completeAll() {
            for (Append a : appends) a.done.complete(null);
        }
    }

    @Test
    void aMiddlewareAppendsToANamedSinkOutsideTheRoutesOwn() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest", "invalid");
        sinks.complete = true;
        Router router = Router.create();
        router.forward("plant/{line}").to("ingest").middleware((ctx, next) -> {
            if (ctx.text().contains("bad")) ctx.appendTo("invalid", Envelope.of(ctx)).get();
            else next.proceed(ctx);
        });
        router.forward("lab/#").to("ingest").middleware((ctx, next) -> ctx.appendTo("invalidd", Envelope.of(ctx)).get());
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            assertThat(send(d, Message.of("plant/1", "bad")).get(5, TimeUnit.SECONDS)).isEqualTo(Outcome.FILTERED);
            assertThat(send(d, Message.of("plant/1", "good")).get(5, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(sinks.appends).extracting(HeldAppender.Append::sinks).containsExactly(List.of("invalid"), List.of("ingest"));
            assertThat(utf8(sinks.appends.get(0).envelope().payload())).isEqualTo("bad");
            assertThat(send(d, Message.of("lab/1", "x")).get(5, TimeUnit.SECONDS)).as("an unknown sink fails the message").isEqualTo(Outcome.FAILED);
        }
        Context bare = new Context(Message.of("a", "x"), new Match(router.build().routes().get(0), "plant/1"), null,
                tools.jackson.databind.json.JsonMapper.builder().build());
        assertThatThrownBy(() -> bare.appendTo("invalid", Envelope.of(bare))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot append to sink 'invalid': the dispatcher has no sinks");
    }

    @Test
    void handlerThenAppendThenAck() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest", "archive");
        List<String> handled = new CopyOnWriteArrayList<>();
        Router router = Router.create();
        router.on("plant/{line}/telemetry", ctx -> handled.add(ctx.param("line"))).to("ingest", "archive");
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            CompletableFuture<Outcome> ack = send(d, Message.of("plant/7/telemetry", "{\"t\":1}"));
            await().until(() -> sinks.appends.size() == 1);
            assertThat(handled).containsExactly("7");
            assertThat(ack).as("not acknowledged before the append is durable").isNotDone();
            HeldAppender.Append a = sinks.appends.get(0);
            assertThat(a.sinks()).containsExactly("ingest", "archive");
            assertThat(a.envelope().route()).isEqualTo("plant/{line}/telemetry");
            assertThat(a.envelope().params()).containsEntry("line", "7");
            assertThat(utf8(a.envelope().payload())).isEqualTo("{\"t\":1}");
            a.done().complete(null);
            assertThat(await(ack)).isEqualTo(Outcome.HANDLED);
            assertThat(d.stats().handled()).isEqualTo(1);
        }
    }

    @Test
    void forwardOnlyRouteAppendsOnTheCallingThreadAndAcksWhenDurable() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        Router router = Router.create();
        router.forward("plant/#").to("ingest");
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            CompletableFuture<Outcome> ack = send(d, Message.of("plant/a/b", "x"));
            // no hand-off: the append was issued before dispatch returned
            assertThat(sinks.appends).hasSize(1);
            assertThat(ack).isNotDone();
            sinks.completeAll();
            assertThat(await(ack)).isEqualTo(Outcome.HANDLED);
        }
    }

    @Test
    void handlerFailureUnderRedeliverGivesNoAckAndNoAppend() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        sinks.complete = true;
        Router router = Router.create();
        router.on("a/{id}", ctx -> {
            throw new IOException("database down");
        }).to("ingest").onError(ErrorPolicy.redeliver());
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).errorHandler((c, e, n) -> { }).build()) {
            Outcome o = await(send(d, Message.of("a/1", "x")));
            assertThat(o).isEqualTo(Outcome.REJECTED);
            assertThat(o.acknowledge()).isFalse();
            assertThat(sinks.appends).isEmpty();
        }
    }

    @Test
    void handlerFailureUnderAckIsAckedAsFailedWithNoAppend() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        sinks.complete = true;
        Router router = Router.create();
        router.on("a/{id}", ctx -> {
            throw new IllegalStateException("bad");
        }).to("ingest");
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).errorHandler((c, e, n) -> { }).build()) {
            Outcome o = await(send(d, Message.of("a/1", "x")));
            assertThat(o).isEqualTo(Outcome.FAILED);
            assertThat(o.acknowledge()).isTrue();
            assertThat(sinks.appends).isEmpty();
            assertThat(d.stats().failed()).isEqualTo(1);
        }
    }

    @Test
    void aSwallowedHandlerFailureIsFailedAndNotForwarded() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        sinks.complete = true;
        Router router = Router.create();
        router.on("a/{id}", ctx -> {
            throw new IllegalStateException("bad");
        }).to("ingest").middleware((ctx, next) -> {
            try {
                next.proceed(ctx);
            } catch (IllegalStateException swallowed) {
                // a middleware that hides the failure must not make the message forwardable
            }
        });
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            assertThat(await(send(d, Message.of("a/1", "x")))).isEqualTo(Outcome.FAILED);
            assertThat(sinks.appends).isEmpty();
        }
    }

    @Test
    void failedAppendMeansNoAck() throws Exception {
        SinkAppender failing = new SinkAppender() {
            @Override
            public Set<String> sinks() {
                return Set.of("ingest");
            }

            @Override
            public CompletableFuture<Void> append(List<String> sinks, Envelope envelope) {
                return CompletableFuture.failedFuture(new IOException("No space left on device"));
            }
        };
        Router router = Router.create();
        router.on("a/{id}", TestSupport.NOOP).to("ingest");
        router.forward("b/#").to("ingest");
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(failing).build()) {
            assertThat(await(send(d, Message.of("a/1", "x")))).isEqualTo(Outcome.REJECTED);
            assertThat(await(send(d, Message.of("b/1", "x")))).isEqualTo(Outcome.REJECTED);
            assertThat(d.stats().rejected()).isEqualTo(2);
        }
    }

    @Test
    void anAppenderThatThrowsIsAFailedAppend() throws Exception {
        SinkAppender throwing = new SinkAppender() {
            @Override
            public Set<String> sinks() {
                return Set.of("ingest");
            }

            @Override
            public CompletableFuture<Void> append(List<String> sinks, Envelope envelope) {
                throw new IllegalStateException("queue closed");
            }
        };
        Router router = Router.create();
        router.forward("b/#").to("ingest");
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(throwing).build()) {
            assertThat(await(send(d, Message.of("b/1", "x")))).isEqualTo(Outcome.REJECTED);
        }
    }

    @Test
    void filteredMessagesAreAckedAndNotForwarded() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        Router router = Router.create();
        router.forward("a/{id}").to("ingest").middleware((ctx, next) -> {
            if (!ctx.param("id").equals("test")) next.proceed(ctx);
        });
        sinks.complete = true;
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            assertThat(await(send(d, Message.of("a/test", "x")))).isEqualTo(Outcome.FILTERED);
            assertThat(await(send(d, Message.of("a/real", "x")))).isEqualTo(Outcome.HANDLED);
            assertThat(sinks.appends).extracting(a -> a.envelope().topic()).containsExactly("a/real");
        }
    }

    @Test
    void retriesAppendOnceAfterTheHandlerSucceeds() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        sinks.complete = true;
        AtomicInteger calls = new AtomicInteger();
        Router router = Router.create();
        router.on("a/{id}", ctx -> {
            if (calls.incrementAndGet() < 3) throw new IllegalStateException("flaky");
        }).to("ingest").retry(3, Duration.ZERO);
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            assertThat(await(send(d, Message.of("a/1", "x")))).isEqualTo(Outcome.HANDLED);
            assertThat(calls).hasValue(3);
            assertThat(sinks.appends).hasSize(1);
        }
    }

    @Test
    void middlewareCanChangeWhatIsForwarded() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        sinks.complete = true;
        Router router = Router.create();
        router.forward("a/{id}").to("ingest").middleware((ctx, next) -> {
            Message upper = Message.of(ctx.topic(), ctx.text().toUpperCase());
            next.proceed(new Context(upper, new Match(ctx.route(), ctx.topic()), null, tools.jackson.databind.json.JsonMapper.builder().build()));
        });
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).build()) {
            assertThat(await(send(d, Message.of("a/1", "abc")))).isEqualTo(Outcome.HANDLED);
            assertThat(utf8(sinks.appends.get(0).envelope().payload())).isEqualTo("ABC");
        }
    }

    @Test
    void appendsArePipelinedInTopicOrder() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        Router router = Router.create();
        router.on("dev/{id}/t", TestSupport.NOOP).to("ingest");
        int n = 500;
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).maxInFlight(n).build()) {
            List<CompletableFuture<Outcome>> acks = new ArrayList<>();
            for (int i = 0; i < n; i++) acks.add(send(d, Message.of("dev/1/t", Integer.toString(i))));
            // the lane does not wait for durability: every append is issued while none is complete
            await().atMost(10, TimeUnit.SECONDS).until(() -> sinks.appends.size() == n);
            assertThat(acks).noneMatch(CompletableFuture::isDone);
            List<String> order = sinks.appends.stream().map(a -> utf8(a.envelope().payload())).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) expected.add(Integer.toString(i));
            assertThat(order).isEqualTo(expected);
            sinks.completeAll();
            for (CompletableFuture<Outcome> a : acks) assertThat(await(a)).isEqualTo(Outcome.HANDLED);
        }
    }

    @Test
    void messagesWaitingForDurabilityHoldTheirInFlightPermit() throws Exception {
        HeldAppender sinks = new HeldAppender("ingest");
        Router router = Router.create();
        router.forward("a/#").to("ingest");
        try (Dispatcher d = Dispatcher.builder(router.build()).sinks(sinks).maxInFlight(2).build()) {
            send(d, Message.of("a/1", "x"));
            send(d, Message.of("a/2", "x"));
            CountDownLatch third = new CountDownLatch(1);
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    send(d, Message.of("a/3", "x"));
                    third.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().until(() -> t.getState() == Thread.State.WAITING);
            assertThat(third.getCount()).as("the third dispatch waits for room").isEqualTo(1);
            sinks.appends.get(0).done().complete(null);
            assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
            await().until(() -> sinks.appends.size() == 3);
            sinks.completeAll();
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void unknownSinksAndSinklessForwardsFailAtBuild() {
        Router router = Router.create();
        router.on("a/{id}", TestSupport.NOOP).to("ingest", "archiv");
        RouteTable table = router.build();
        assertThatThrownBy(() -> Dispatcher.builder(table).sinks(new HeldAppender("ingest", "archive")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("route 'a/{id}' forwards to sink 'archiv', which is not configured")
                .hasMessageContaining("archive, ingest");
        assertThatThrownBy(() -> Dispatcher.builder(table).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no sinks");
        Router sinkless = Router.create();
        sinkless.forward("b/#");
        assertThatThrownBy(sinkless::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("route 'b/#' is registered with forward() but names no sink");
        assertThatThrownBy(() -> Router.create().on("c", TestSupport.NOOP).to("x", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named twice");
    }
}
