package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.routemq.core.TestSupport.sendAndWait;
import static org.assertj.core.api.Assertions.assertThat;

/** The middleware chain: filtering, calling next twice, attributes, wrapping. */
class MiddlewareTest {

    @Test
    void notCallingNextFiltersTheMessageAndIsNotAnError() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Outcome> routeOutcomes = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.middleware((ctx, next) -> {
            if ("yes".equals(ctx.userProperty("token"))) next.proceed(ctx);
        });
        r.on("secure/{id}", ctx -> handled.incrementAndGet());
        try (Dispatcher d = Dispatcher.builder(r.build())
                .errorHandler((ctx, e, attempts) -> errors.incrementAndGet())
                .listener(new DispatchListener() {
                    @Override
                    public void onRouteOutcome(Route route, Message message, Outcome outcome, long nanos) {
                        routeOutcomes.add(outcome);
                    }
                })
                .build()) {
            Outcome filtered = sendAndWait(d, "secure/1", "x");
            assertThat(filtered).isEqualTo(Outcome.FILTERED);
            assertThat(filtered.acknowledge()).isTrue();

            Message withToken = Message.of("secure/2", "x")
                    .withProperties(MessageProperties.builder().userProperty("token", "yes").build());
            assertThat(TestSupport.await(TestSupport.send(d, withToken))).isEqualTo(Outcome.HANDLED);

            assertThat(d.awaitIdle(java.time.Duration.ofSeconds(10))).isTrue();
            DispatchStats s = d.stats();
            assertThat(s.filtered()).isEqualTo(1);
            assertThat(s.handled()).isEqualTo(1);
            assertThat(s.failed()).isZero();
            assertThat(s.rejected()).isZero();
            assertThat(s.total()).isEqualTo(2);
        }
        assertThat(handled).hasValue(1);
        assertThat(errors).hasValue(0);
        assertThat(routeOutcomes).containsExactly(Outcome.FILTERED, Outcome.HANDLED);
    }

    @Test
    void aLaterMiddlewareFilteringAlsoCountsAsFiltered() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.middleware((ctx, next) -> {
            log.add("outer");
            next.proceed(ctx);
            log.add("outer-after");
        });
        r.on("a", ctx -> log.add("handler")).middleware((ctx, next) -> log.add("stopper"));
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            assertThat(sendAndWait(d, "a", "")).isEqualTo(Outcome.FILTERED);
            assertThat(d.awaitIdle(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().filtered()).isEqualTo(1);
        }
        assertThat(log).containsExactly("outer", "stopper", "outer-after");
    }

    @Test
    void callingNextTwiceIsAnError() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Router r = Router.create();
        r.middleware((ctx, next) -> {
            next.proceed(ctx);
            next.proceed(ctx);
        });
        r.on("twice", ctx -> handled.incrementAndGet()).name("twice-route");
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler((ctx, e, attempts) -> error.set(e)).build()) {
            assertThat(sendAndWait(d, "twice", "")).isEqualTo(Outcome.FAILED);
            assertThat(d.awaitIdle(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().failed()).isEqualTo(1);
            assertThat(d.stats().handled()).isZero();
        }
        assertThat(handled).hasValue(1);
        assertThat(error.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than once").hasMessageContaining("'twice'");
    }

    @Test
    void passingANullContextIsAnError() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Router r = Router.create();
        r.on("n", ctx -> { }).middleware((ctx, next) -> next.proceed(null));
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler((ctx, e, a) -> error.set(e)).build()) {
            assertThat(sendAndWait(d, "n", "")).isEqualTo(Outcome.FAILED);
        }
        assertThat(error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null context");
    }

    @Test
    void attributesArePassedAlongTheChain() throws Exception {
        AtomicReference<String> user = new AtomicReference<>();
        AtomicReference<Integer> count = new AtomicReference<>();
        AtomicReference<Object> missing = new AtomicReference<>("sentinel");
        Router r = Router.create();
        r.middleware((ctx, next) -> {
            Object before = ctx.attribute("user");
            assertThat(before).isNull();
            next.proceed(ctx.attribute("user", "bob").attribute("count", 1));
        });
        r.group("g", g -> {
            g.middleware((ctx, next) -> {
                Integer c = ctx.attribute("count");
                ctx.attribute("count", c + 1);
                next.proceed(ctx);
            });
            g.on("x", ctx -> {
                user.set(ctx.attribute("user"));
                count.set(ctx.attribute("count"));
                missing.set(ctx.attribute("nope"));
            });
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            assertThat(sendAndWait(d, "g/x", "")).isEqualTo(Outcome.HANDLED);
        }
        assertThat(user.get()).isEqualTo("bob");
        assertThat(count.get()).isEqualTo(2);
        assertThat(missing.get()).isNull();
    }

    @Test
    void middlewareExceptionFailsTheMessage() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        Router r = Router.create();
        r.on("a", ctx -> handled.incrementAndGet()).middleware((ctx, next) -> {
            throw new java.io.IOException("auth service down");
        });
        AtomicReference<Throwable> error = new AtomicReference<>();
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler((ctx, e, a) -> error.set(e)).build()) {
            assertThat(sendAndWait(d, "a", "")).isEqualTo(Outcome.FAILED);
        }
        assertThat(handled).hasValue(0);
        assertThat(error.get()).isInstanceOf(java.io.IOException.class).hasMessage("auth service down");
    }

    @Test
    void middlewareCanCatchWhatTheHandlerThrows() throws Exception {
        Router r = Router.create();
        r.middleware((ctx, next) -> {
            try {
                next.proceed(ctx);
            } catch (IllegalStateException e) {
                ctx.attribute("swallowed", e.getMessage());
            }
        });
        r.on("a", ctx -> {
            throw new IllegalStateException("boom");
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            // the handler was reached and the chain finished normally
            assertThat(sendAndWait(d, "a", "")).isEqualTo(Outcome.HANDLED);
        }
    }

    @Test
    void fanoutRoutesEachRunTheirOwnChain() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("s/{id}", ctx -> log.add("winner:" + ctx.param("id")));
        r.on("s/#", ctx -> log.add("audit")).fanout().middleware((ctx, next) -> log.add("audit-filter"));
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            // the winner handled it, the fan-out route filtered it: the message as a whole counts as handled
            assertThat(sendAndWait(d, "s/1", "")).isEqualTo(Outcome.HANDLED);
            assertThat(d.awaitIdle(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(d.stats().handled()).isEqualTo(1);
            assertThat(d.stats().total()).isEqualTo(1);
        }
        assertThat(log).containsExactly("winner:1", "audit-filter");
    }
}
