package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.routemq.core.TestSupport.sendAndWait;
import static org.assertj.core.api.Assertions.assertThat;

/** What happens when a handler throws: isolation, the error handler, counting, error policies. */
class HandlerErrorsTest {

    private record Failure(String route, String topic, Throwable error, int attempts) {
    }

    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final ErrorHandler recordingErrors =
            (ctx, error, attempts) -> failures.add(new Failure(ctx.route().name(), ctx.topic(), error, attempts));

    @Test
    void exceptionIsIsolatedToItsMessageAndReported() throws Exception {
        AtomicInteger ok = new AtomicInteger();
        RuntimeException boom = new RuntimeException("boom");
        Router r = Router.create();
        r.on("dev/{id}", ctx -> {
            if (ctx.param("id").equals("bad")) throw boom;
            ok.incrementAndGet();
        }).name("devices");
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            assertThat(sendAndWait(d, "dev/1", "")).isEqualTo(Outcome.HANDLED);
            Outcome failed = sendAndWait(d, "dev/bad", "");
            assertThat(failed).isEqualTo(Outcome.FAILED);
            assertThat(failed.acknowledge()).isTrue();
            assertThat(sendAndWait(d, "dev/2", "")).isEqualTo(Outcome.HANDLED);
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats()).isEqualTo(new DispatchStats(2, 0, 0, 1, 0, 0));
        }
        assertThat(ok).hasValue(2);
        assertThat(failures).containsExactly(new Failure("devices", "dev/bad", boom, 1));
    }

    @Test
    void checkedExceptionsAreHandledToo() throws Exception {
        Router r = Router.create();
        r.on("x", ctx -> {
            throw new java.io.IOException("disk full");
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            assertThat(sendAndWait(d, "x", "")).isEqualTo(Outcome.FAILED);
        }
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.error()).hasMessage("disk full"));
    }

    @Test
    void retryRunsTheChainNTimesThenFails() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger middlewareCalls = new AtomicInteger();
        Router r = Router.create();
        r.on("r/{id}", ctx -> {
            calls.incrementAndGet();
            throw new IllegalStateException("attempt " + calls.get());
        }).retry(3, Duration.ofMillis(1)).middleware((ctx, next) -> {
            middlewareCalls.incrementAndGet();
            next.proceed(ctx);
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            assertThat(sendAndWait(d, "r/1", "")).isEqualTo(Outcome.FAILED);
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().failed()).isEqualTo(1);
            assertThat(d.stats().total()).isEqualTo(1);
        }
        assertThat(calls).hasValue(3);
        assertThat(middlewareCalls).hasValue(3);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(f.error()).hasMessage("attempt 3");
            assertThat(f.topic()).isEqualTo("r/1");
        });
    }

    @Test
    void retryThatSucceedsIsHandledAndNotReported() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Object> attributesSeen = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("r", ctx -> {
            Object leftOver = ctx.attribute("left-over");
            attributesSeen.add(String.valueOf(leftOver));
            ctx.attribute("left-over", "yes");
            if (calls.incrementAndGet() < 2) throw new IllegalStateException("transient");
        }).onError(ErrorPolicy.retry(5, Duration.ZERO));
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            assertThat(sendAndWait(d, "r", "")).isEqualTo(Outcome.HANDLED);
        }
        assertThat(calls).hasValue(2);
        assertThat(failures).isEmpty();
        // each attempt starts from a fresh context
        assertThat(attributesSeen).containsExactly("null", "null");
    }

    @Test
    void retryWithAnExponentialBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Backoff backoff = Backoff.builder().initial(Duration.ofMillis(1)).max(Duration.ofMillis(4)).jitter(0.5).build();
        Router r = Router.create();
        r.on("b", ctx -> {
            if (calls.incrementAndGet() < 4) throw new IllegalStateException("transient");
        }).onError(ErrorPolicy.retry(4, backoff));
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            assertThat(sendAndWait(d, "b", "")).isEqualTo(Outcome.HANDLED);
        }
        assertThat(calls).hasValue(4);
        assertThat(failures).isEmpty();
        assertThat(ErrorPolicy.retry(4, backoff).backoff()).isSameAs(backoff);
        assertThat(ErrorPolicy.retry(3, Duration.ofMillis(7)).backoff()).isEqualTo(Backoff.fixed(Duration.ofMillis(7)));
    }

    @Test
    void redeliverLeavesTheMessageUnacknowledged() throws Exception {
        Router r = Router.create();
        r.on("q", ctx -> {
            throw new IllegalStateException("enqueue failed");
        }).onError(ErrorPolicy.redeliver());
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            Outcome o = sendAndWait(d, "q", "");
            assertThat(o).isEqualTo(Outcome.REJECTED);
            assertThat(o.acknowledge()).isFalse();
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats()).isEqualTo(new DispatchStats(0, 0, 0, 0, 1, 0));
        }
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.attempts()).isEqualTo(1));
    }

    @Test
    void errorPolicyFactories() {
        assertThat(ErrorPolicy.ack()).isEqualTo(new ErrorPolicy(1, Duration.ZERO, true));
        assertThat(ErrorPolicy.redeliver()).isEqualTo(new ErrorPolicy(1, Duration.ZERO, false));
        assertThat(ErrorPolicy.retry(3, Duration.ofSeconds(1))).isEqualTo(new ErrorPolicy(3, Duration.ofSeconds(1), true));
        assertThat(Outcome.HANDLED.acknowledge()).isTrue();
        assertThat(Outcome.FILTERED.acknowledge()).isTrue();
        assertThat(Outcome.UNMATCHED.acknowledge()).isTrue();
        assertThat(Outcome.FAILED.acknowledge()).isTrue();
        assertThat(Outcome.REJECTED.acknowledge()).isFalse();
    }

    @Test
    void dispatcherKeepsRunningAfterAnErrorThrownByAHandler() throws Exception {
        AtomicInteger ok = new AtomicInteger();
        Router r = Router.create();
        r.on("err/{kind}", ctx -> {
            switch (ctx.param("kind")) {
                case "error" -> throw new Error("handler threw an Error");
                case "assert" -> throw new AssertionError("assertion");
                case "soe" -> throw new StackOverflowError("simulated");
                case "oome" -> throw new OutOfMemoryError("simulated");
                default -> ok.incrementAndGet();
            }
        }).retry(2, Duration.ZERO);
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            for (String kind : List.of("error", "ok", "assert", "soe", "ok", "oome", "ok")) {
                Outcome o = sendAndWait(d, "err/" + kind, "");
                assertThat(o).as(kind).isEqualTo(kind.equals("ok") ? Outcome.HANDLED : Outcome.FAILED);
            }
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().handled()).isEqualTo(3);
            assertThat(d.stats().failed()).isEqualTo(4);
        }
        assertThat(ok).hasValue(3);
        assertThat(failures).extracting(f -> f.error().getClass().getSimpleName(), Failure::attempts).containsExactly(
                org.assertj.core.api.Assertions.tuple("Error", 2),
                org.assertj.core.api.Assertions.tuple("AssertionError", 2),
                // VirtualMachineErrors are not retried, and the error handler is told that one attempt was made
                org.assertj.core.api.Assertions.tuple("StackOverflowError", 1),
                org.assertj.core.api.Assertions.tuple("OutOfMemoryError", 1));
    }

    @Test
    void aThrowingErrorHandlerOrListenerDoesNotStopTheDispatcher() throws Exception {
        AtomicInteger ok = new AtomicInteger();
        Router r = Router.create();
        r.on("x/{n}", ctx -> {
            if (ctx.paramInt("n") % 2 == 0) throw new IllegalStateException("even");
            ok.incrementAndGet();
        });
        DispatchListener throwing = new DispatchListener() {
            @Override
            public void onRouteOutcome(Route route, Message message, Outcome outcome, long nanos) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onComplete(Message message, Outcome outcome) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onUnmatched(Message message) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (Dispatcher d = Dispatcher.builder(r.build())
                .errorHandler((ctx, e, a) -> {
                    throw new IllegalStateException("error handler bug");
                })
                .listener(throwing).build()) {
            for (int i = 0; i < 6; i++) {
                assertThat(sendAndWait(d, "x/" + i, "")).isEqualTo(i % 2 == 0 ? Outcome.FAILED : Outcome.HANDLED);
            }
            assertThat(sendAndWait(d, "nothing", "")).isEqualTo(Outcome.UNMATCHED);
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats()).isEqualTo(new DispatchStats(3, 0, 1, 3, 0, 0));
        }
        assertThat(ok).hasValue(3);
    }

    @Test
    void anAckCallbackThatThrowsIsContained() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Router r = Router.create();
        r.on("x", ctx -> { });
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            for (int i = 0; i < 3; i++) {
                d.dispatch(Message.of("x", ""), o -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("transport bug");
                });
            }
            assertThat(sendAndWait(d, "x", "")).isEqualTo(Outcome.HANDLED);
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().handled()).isEqualTo(4);
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void defaultErrorHandlerLogsAndCounts() throws Exception {
        Router r = Router.create();
        r.on("x", ctx -> {
            throw new IllegalStateException("expected in test: default error handler");
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            assertThat(sendAndWait(d, "x", "")).isEqualTo(Outcome.FAILED);
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().failed()).isEqualTo(1);
        }
    }

    @Test
    void fanoutMessageTakesTheWorstOutcomeAndEveryRouteRuns() throws Exception {
        AtomicInteger winner = new AtomicInteger();
        Router r = Router.create();
        r.on("a/b", ctx -> winner.incrementAndGet());
        r.on("a/#", ctx -> {
            throw new IllegalStateException("audit failed");
        }).fanout().name("audit");
        r.on("#", ctx -> {
            throw new IllegalStateException("archive failed");
        }).fanout().onError(ErrorPolicy.redeliver()).exclude("a/c");
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler(recordingErrors).build()) {
            assertThat(sendAndWait(d, "a/b", "")).isEqualTo(Outcome.REJECTED);
            assertThat(sendAndWait(d, "a/c", "")).isEqualTo(Outcome.FAILED);
            assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().rejected()).isEqualTo(1);
            assertThat(d.stats().failed()).isEqualTo(1);
            assertThat(d.stats().total()).isEqualTo(2);
        }
        assertThat(winner).hasValue(1);
        assertThat(failures).extracting(Failure::route, Failure::topic).containsExactly(
                org.assertj.core.api.Assertions.tuple("audit", "a/b"),
                org.assertj.core.api.Assertions.tuple("#", "a/b"),
                org.assertj.core.api.Assertions.tuple("audit", "a/c"));
    }
}
