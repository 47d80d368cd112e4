package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.routemq.core.TestSupport.await;
import static io.routemq.core.TestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RouteBuilder#nonBlocking()} routes run on the thread that dispatches the message, and still in their topic's
 * order: behind a lane that is running, and with the messages queued behind them going on on a lane thread.
 */
class NonBlockingRoutesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aNonBlockingRouteRunsOnTheDispatchingThreadAndIsAcknowledgedBeforeDispatchReturns() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        List<String> order = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.middleware((ctx, next) -> {
            order.add("mw");
            next.proceed(ctx);
        });
        r.on("fast/{id}", ctx -> {
            ranOn.set(Thread.currentThread());
            order.add("handler " + ctx.param("id"));
        }).nonBlocking();
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            AtomicReference<Outcome> acked = new AtomicReference<>();
            AtomicReference<Thread> ackedOn = new AtomicReference<>();
            d.dispatch(Message.of("fast/7", "x"), o -> {
                acked.set(o);
                ackedOn.set(Thread.currentThread());
            });
            assertThat(acked.get()).as("acknowledged before dispatch returned").isEqualTo(Outcome.HANDLED);
            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
            assertThat(ackedOn.get()).isSameAs(Thread.currentThread());
            assertThat(order).containsExactly("mw", "handler 7");
            assertThat(d.stats().handled()).isEqualTo(1);
            assertThat(d.stats().inFlight()).isZero();
        }
    }

    @Test
    void aMessageThatAlsoMatchesABlockingRouteRunsOnItsLane() throws Exception {
        AtomicReference<Thread> fastOn = new AtomicReference<>();
        AtomicReference<Thread> slowOn = new AtomicReference<>();
        Router r = Router.create();
        r.on("m/{id}", ctx -> fastOn.set(Thread.currentThread())).nonBlocking().fanout();
        r.on("m/slow", ctx -> slowOn.set(Thread.currentThread())).fanout();
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            assertThat(await(send(d, Message.of("m/slow", "")))).isEqualTo(Outcome.HANDLED);
        }
        assertThat(fastOn.get()).as("both routes ran on the lane thread").isSameAs(slowOn.get());
        assertThat(fastOn.get().isVirtual()).isTrue();
        assertThat(fastOn.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aNonBlockingMessageQueuesBehindItsTopicsRunningLaneInOrder() throws Exception {
        // The topic's first message runs on a blocking route, on a lane; the routes are then swapped (dev reload) to a
        // non-blocking one: the next message of that topic must wait for the first, not run at once on this thread.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> fastOn = new AtomicReference<>();
        Router slow = Router.create();
        slow.on("t/{id}", ctx -> {
            slowStarted.countDown();
            release.await(10, TimeUnit.SECONDS);
            seen.add("slow " + ctx.text());
        });
        Router fast = Router.create();
        fast.on("t/{id}", ctx -> {
            fastOn.set(Thread.currentThread());
            seen.add("fast " + ctx.text());
        }).nonBlocking();
        try (Dispatcher d = Dispatcher.builder(slow.build()).build()) {
            CompletableFuture<Outcome> first = send(d, Message.of("t/1", "1"));
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            d.swapRoutes(fast.build());
            CompletableFuture<Outcome> second = send(d, Message.of("t/1", "2"));
            CompletableFuture<Outcome> otherTopic = send(d, Message.of("t/2", "3"));
            assertThat(otherTopic).as("another topic is not held back: it ran here").isCompletedWithValue(Outcome.HANDLED);
            assertThat(second).as("queued behind the running lane").isNotDone();
            release.countDown();
            assertThat(await(first)).isEqualTo(Outcome.HANDLED);
            assertThat(await(second)).isEqualTo(Outcome.HANDLED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
        }
        assertThat(seen).containsExactly("fast 3", "slow 1", "fast 2");
        assertThat(fastOn.get().isVirtual()).as("the queued one ran on the lane thread").isTrue();
    }

    @Test
    void messagesQueuedBehindAMessageRunningHereGoOnOnALaneThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("q/{id}", ctx -> {
            threads.add(Thread.currentThread());
            if (ctx.text().equals("1")) {
                firstStarted.countDown();
                release.await(10, TimeUnit.SECONDS); // a test's stand-in for a handler that runs a while
            }
            seen.add(ctx.text());
        }).nonBlocking();
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            AtomicReference<Outcome> firstOutcome = new AtomicReference<>();
            Thread transport = Thread.ofPlatform().name("transport").start(() -> {
                try {
                    d.dispatch(Message.of("q/a", "1"), firstOutcome::set);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Outcome> second = send(d, Message.of("q/a", "2"));
            CompletableFuture<Outcome> third = send(d, Message.of("q/a", "3"));
            assertThat(second).isNotDone();
            release.countDown();
            transport.join(10_000);
            assertThat(firstOutcome.get()).isEqualTo(Outcome.HANDLED);
            assertThat(await(second)).isEqualTo(Outcome.HANDLED);
            assertThat(await(third)).isEqualTo(Outcome.HANDLED);
            assertThat(seen).containsExactly("1", "2", "3");
            assertThat(threads.get(0)).isSameAs(transport);
            assertThat(threads.get(1)).as("not the transport's thread, which went back to its work").isNotSameAs(transport);
            assertThat(threads.get(1).isVirtual()).isTrue();
            assertThat(threads.get(2)).isSameAs(threads.get(1));
            // the lane has ended: the topic's next message runs here again
            CompletableFuture<Outcome> fourth = new CompletableFuture<>();
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> d.stats().inFlight() == 0);
            d.dispatch(Message.of("q/a", "4"), fourth::complete);
            assertThat(threads.get(3)).isSameAs(Thread.currentThread());
            assertThat(fourth).isCompletedWithValue(Outcome.HANDLED);
        }
    }

    @Test
    void aRetryWithoutAPauseRunsHereAndARetryThatPausesIsRefusedAtBuild() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Thread> lastOn = new AtomicReference<>();
        Router r = Router.create();
        r.on("r/{id}", ctx -> {
            lastOn.set(Thread.currentThread());
            if (calls.incrementAndGet() < 3) throw new IllegalStateException("not yet");
        }).nonBlocking().retry(3, Duration.ZERO);
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            AtomicReference<Outcome> outcome = new AtomicReference<>();
            d.dispatch(Message.of("r/1", ""), outcome::set);
            assertThat(outcome.get()).isEqualTo(Outcome.HANDLED);
            assertThat(calls).hasValue(3);
            assertThat(lastOn.get()).isSameAs(Thread.currentThread());
        }

        Router pauses = Router.create();
        pauses.on("p/{id}", TestSupport.NOOP).name("alerts").nonBlocking().retry(3, Duration.ofMillis(200));
        assertThatThrownBy(pauses::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route 'alerts' is non-blocking")
                .hasMessageContaining("3 attempts, backoff PT0.2S")
                .hasMessageContaining("drop nonBlocking()");
        assertThat(ErrorPolicy.retry(3, Duration.ofMillis(200)).pauses()).isTrue();
        assertThat(ErrorPolicy.retry(3, Duration.ZERO).pauses()).isFalse();
        assertThat(ErrorPolicy.retry(1, Duration.ofMillis(200)).pauses()).isFalse();
        assertThat(ErrorPolicy.ack().pauses()).isFalse();
    }

    @Test
    void aFailingNonBlockingHandlerIsReportedAndNeverStopsTheCaller() throws Exception {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        Router r = Router.create();
        r.on("f/{id}", ctx -> {
            throw new IllegalArgumentException("bad reading");
        }).nonBlocking();
        r.on("g/{id}", ctx -> {
            throw new IllegalArgumentException("bad again");
        }).nonBlocking().onError(ErrorPolicy.redeliver());
        try (Dispatcher d = Dispatcher.builder(r.build()).errorHandler((ctx, e, attempts) -> reported.set(e)).build()) {
            AtomicReference<Outcome> outcome = new AtomicReference<>();
            d.dispatch(Message.of("f/1", ""), outcome::set);
            assertThat(outcome.get()).isEqualTo(Outcome.FAILED);
            assertThat(reported.get()).hasMessage("bad reading");
            d.dispatch(Message.of("g/1", ""), outcome::set);
            assertThat(outcome.get()).as("not acknowledged: the broker redelivers it").isEqualTo(Outcome.REJECTED);
            assertThat(d.stats().inFlight()).isZero();
        }
    }
}
