package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static io.routemq.core.TestSupport.await;
import static io.routemq.core.TestSupport.send;
import static io.routemq.core.TestSupport.sendAndWait;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The dispatcher: ordering lanes, parallelism, backpressure, unmatched, shutdown, listener. */
class DispatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void messagesOfOneTopicAreHandledInOrderWhileTopicsRunInParallel() throws Exception {
        int topics = 6;
        int perTopic = 300;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
        AtomicInteger maxActivePerTopic = new AtomicInteger();
        Router r = Router.create();
        r.on("lane/{t}", ctx -> {
            String t = ctx.param("t");
            int a = active.computeIfAbsent(t, k -> new AtomicInteger()).incrementAndGet();
            maxActivePerTopic.accumulateAndGet(a, Math::max);
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, 400_000));
            }
            seen.computeIfAbsent(t, k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(ctx.text()));
            active.get(t).decrementAndGet();
        });
        List<CompletableFuture<Outcome>> acks = new ArrayList<>();
        try (Dispatcher d = Dispatcher.builder(r.build()).maxInFlight(64).build()) {
            for (int seq = 0; seq < perTopic; seq++) {
                for (int t = 0; t < topics; t++) acks.add(send(d, Message.of("lane/" + t, Integer.toString(seq))));
            }
            assertThat(d.awaitIdle(WAIT)).isTrue();
            for (CompletableFuture<Outcome> f : acks) assertThat(await(f)).isEqualTo(Outcome.HANDLED);
            assertThat(d.stats().handled()).isEqualTo((long) topics * perTopic);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perTopic; i++) expected.add(i);
        assertThat(seen).hasSize(topics);
        seen.forEach((t, list) -> assertThat(list).as("sequence seen on topic %s", t).isEqualTo(expected));
        assertThat(maxActivePerTopic).as("at most one handler per topic at a time").hasValue(1);
    }

    @Test
    void differentTopicsOverlap() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        AtomicBoolean overlapped = new AtomicBoolean(true);
        Router r = Router.create();
        r.on("p/{t}", ctx -> {
            bothRunning.countDown();
            // each handler waits for the other one: only possible if both run at the same time
            if (!bothRunning.await(10, TimeUnit.SECONDS)) overlapped.set(false);
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            CompletableFuture<Outcome> a = send(d, Message.of("p/a", ""));
            CompletableFuture<Outcome> b = send(d, Message.of("p/b", ""));
            assertThat(await(a)).isEqualTo(Outcome.HANDLED);
            assertThat(await(b)).isEqualTo(Outcome.HANDLED);
        }
        assertThat(overlapped).isTrue();
    }

    @Test
    void unorderedRouteRunsMessagesOfOneTopicConcurrently() throws Exception {
        CountDownLatch allRunning = new CountDownLatch(3);
        AtomicInteger timedOut = new AtomicInteger();
        Router r = Router.create();
        r.on("fast", ctx -> {
            allRunning.countDown();
            if (!allRunning.await(10, TimeUnit.SECONDS)) timedOut.incrementAndGet();
        }).unordered();
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            List<CompletableFuture<Outcome>> acks = List.of(send(d, Message.of("fast", "1")),
                    send(d, Message.of("fast", "2")), send(d, Message.of("fast", "3")));
            for (CompletableFuture<Outcome> f : acks) assertThat(await(f)).isEqualTo(Outcome.HANDLED);
        }
        assertThat(timedOut).hasValue(0);
    }

    @Test
    void orderedTopicWaitsForThePreviousMessage() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> started = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("slow/{t}", ctx -> {
            started.add(ctx.topic() + "#" + ctx.text());
            if (ctx.text().equals("first")) release.await();
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            CompletableFuture<Outcome> first = send(d, Message.of("slow/a", "first"));
            await().atMost(WAIT).until(() -> started.contains("slow/a#first"));
            CompletableFuture<Outcome> second = send(d, Message.of("slow/a", "second"));
            // another topic goes through meanwhile
            assertThat(sendAndWait(d, "slow/b", "other")).isEqualTo(Outcome.HANDLED);
            assertThat(second).isNotDone();
            assertThat(started).containsExactly("slow/a#first", "slow/b#other");
            release.countDown();
            assertThat(await(first)).isEqualTo(Outcome.HANDLED);
            assertThat(await(second)).isEqualTo(Outcome.HANDLED);
            assertThat(started).containsExactly("slow/a#first", "slow/b#other", "slow/a#second");
        }
    }

    @Test
    void dispatchBlocksAtMaxInFlightAndDropsNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("bp/{n}", ctx -> {
            release.await();
            handled.add(ctx.param("n"));
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).maxInFlight(2).build()) {
            CompletableFuture<Outcome> m1 = send(d, Message.of("bp/1", ""));
            CompletableFuture<Outcome> m2 = send(d, Message.of("bp/2", ""));
            assertThat(d.stats().inFlight()).isEqualTo(2);

            AtomicBoolean thirdReturned = new AtomicBoolean();
            CompletableFuture<Outcome> m3 = new CompletableFuture<>();
            Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                try {
                    d.dispatch(Message.of("bp/3", ""), m3::complete);
                    thirdReturned.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // the producer parks inside dispatch() and stays there while both handlers are blocked
            await().atMost(WAIT).until(() -> producer.getState() == Thread.State.WAITING);
            assertThat(thirdReturned).isFalse();
            assertThat(m1).isNotDone();
            assertThat(m2).isNotDone();
            assertThat(m3).isNotDone();
            assertThat(d.stats().inFlight()).isEqualTo(2);

            release.countDown();
            producer.join(WAIT.toMillis());
            assertThat(producer.isAlive()).isFalse();
            assertThat(thirdReturned).isTrue();
            assertThat(await(m1)).isEqualTo(Outcome.HANDLED);
            assertThat(await(m2)).isEqualTo(Outcome.HANDLED);
            assertThat(await(m3)).isEqualTo(Outcome.HANDLED);
            assertThat(handled).containsExactlyInAnyOrder("1", "2", "3");
        }
    }

    @Test
    void inFlightNeverExceedsTheLimitUnderLoad() throws Exception {
        int max = 4;
        int n = 2_000;
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        Router r = Router.create();
        r.on("load/{n}", ctx -> {
            peak.accumulateAndGet(active.incrementAndGet(), Math::max);
            if (ctx.paramInt("n") % 50 == 0) LockSupport.parkNanos(200_000);
            handled.incrementAndGet();
            active.decrementAndGet();
        }).unordered();
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        try (Dispatcher d = Dispatcher.builder(r.build()).maxInFlight(max).build()) {
            for (int i = 0; i < n; i++) {
                int id = i;
                d.dispatch(Message.of("load/" + i, ""), o -> outcomes.put(id, o));
                assertThat(d.stats().inFlight()).isBetween(0, max);
            }
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(d.stats().handled()).isEqualTo(n);
        }
        assertThat(peak.get()).isBetween(1, max);
        assertThat(handled).hasValue(n);
        assertThat(outcomes).hasSize(n).allSatisfy((id, o) -> assertThat(o).isEqualTo(Outcome.HANDLED));
    }

    @Test
    void unmatchedIsAcknowledgedCountedAndNeverThrows() throws Exception {
        List<String> unmatched = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("known/#", ctx -> { });
        try (Dispatcher d = Dispatcher.builder(r.build()).listener(new DispatchListener() {
            @Override
            public void onUnmatched(Message message) {
                unmatched.add(message.topic());
            }
        }).build()) {
            Outcome o = sendAndWait(d, "unknown/x", "");
            assertThat(o).isEqualTo(Outcome.UNMATCHED);
            assertThat(o.acknowledge()).isTrue();
            assertThat(sendAndWait(d, "$SYS/known", "")).isEqualTo(Outcome.UNMATCHED);
            assertThat(sendAndWait(d, "", "")).isEqualTo(Outcome.UNMATCHED);
            assertThat(sendAndWait(d, "known", "")).isEqualTo(Outcome.HANDLED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(d.stats()).isEqualTo(new DispatchStats(1, 0, 3, 0, 0, 0));
        }
        assertThat(unmatched).containsExactly("unknown/x", "$SYS/known", "");
    }

    @Test
    void emptyTableUnmatchesEverything() throws Exception {
        try (Dispatcher d = Dispatcher.builder(Router.create().build()).build()) {
            assertThat(sendAndWait(d, "a", "")).isEqualTo(Outcome.UNMATCHED);
        }
    }

    @Test
    void afterShutdownMessagesAreRejected() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        Router r = Router.create();
        r.on("x", ctx -> handled.incrementAndGet());
        Dispatcher d = Dispatcher.builder(r.build()).build();
        assertThat(sendAndWait(d, "x", "")).isEqualTo(Outcome.HANDLED);
        assertThat(d.shutdown(WAIT)).isTrue();
        Outcome o = sendAndWait(d, "x", "");
        assertThat(o).isEqualTo(Outcome.REJECTED);
        assertThat(o.acknowledge()).isFalse();
        assertThat(sendAndWait(d, "nothing/matches", "")).isEqualTo(Outcome.REJECTED);
        d.close(); // closing twice is harmless
        assertThat(sendAndWait(d, "x", "")).isEqualTo(Outcome.REJECTED);
        assertThat(handled).hasValue(1);
        assertThat(d.stats()).isEqualTo(new DispatchStats(1, 0, 0, 0, 3, 0));
    }

    @Test
    void shutdownWaitsForInFlightMessagesAndTheirAcks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> acked = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("w/{n}", ctx -> release.await());
        Dispatcher d = Dispatcher.builder(r.build()).build();
        for (int i = 0; i < 3; i++) {
            String id = "w/" + i;
            d.dispatch(Message.of(id, ""), o -> {
                // a slow transport: the ack is part of finishing the message
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                acked.add(id + ":" + o);
            });
        }
        assertThat(d.shutdown(Duration.ofMillis(50))).as("handlers still blocked").isFalse();
        assertThat(sendAndWait(d, "w/late", "")).isEqualTo(Outcome.REJECTED);
        release.countDown();
        assertThat(d.awaitIdle(WAIT)).isTrue();
        // when awaitIdle returns, every message is finished: acknowledged and counted
        assertThat(acked).containsExactlyInAnyOrder("w/0:HANDLED", "w/1:HANDLED", "w/2:HANDLED");
        assertThat(d.stats()).isEqualTo(new DispatchStats(3, 0, 0, 0, 1, 0));
    }

    @Test
    void awaitIdleReturnsOnlyAfterTheAckFired() throws Exception {
        Router r = Router.create();
        r.on("x", ctx -> { });
        AtomicBoolean acked = new AtomicBoolean();
        try (Dispatcher d = Dispatcher.builder(r.build()).build()) {
            d.dispatch(Message.of("x", ""), o -> {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
                acked.set(true);
            });
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(acked).as("the ack fired before awaitIdle returned").isTrue();
            assertThat(d.stats().handled()).isEqualTo(1);
        }
    }

    @Test
    void shutdownReturnsTrueWhenIdle() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Router r = Router.create();
        r.on("x", ctx -> release.await());
        Dispatcher d = Dispatcher.builder(r.build()).build();
        CompletableFuture<Outcome> f = send(d, Message.of("x", ""));
        assertThat(d.awaitIdle(Duration.ofMillis(20))).isFalse();
        assertThat(d.stats().inFlight()).isEqualTo(1);
        CompletableFuture<Boolean> shut = CompletableFuture.supplyAsync(() -> {
            try {
                return d.shutdown(WAIT);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        release.countDown();
        assertThat(shut.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(f).isCompletedWithValue(Outcome.HANDLED);
    }

    @Test
    void listenerSeesRouteOutcomesAndCompletions() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("a/{x}", ctx -> {
            if (ctx.param("x").equals("bad")) throw new IllegalStateException("bad");
        }).name("a-route");
        DispatchListener listener = new DispatchListener() {
            @Override
            public void onRouteOutcome(Route route, Message message, Outcome outcome, long nanos) {
                assertThat(nanos).isNotNegative();
                events.add("route " + route.name() + " " + message.topic() + " " + outcome);
            }

            @Override
            public void onComplete(Message message, Outcome outcome) {
                events.add("complete " + message.topic() + " " + outcome);
            }
        };
        try (Dispatcher d = Dispatcher.builder(r.build()).listener(listener).errorHandler((c, e, n) -> { }).build()) {
            sendAndWait(d, "a/1", "");
            sendAndWait(d, "a/bad", "");
            sendAndWait(d, "b", "");
            assertThat(d.awaitIdle(WAIT)).isTrue();
        }
        await().atMost(WAIT).until(() -> events.size() == 5);
        assertThat(events).containsExactlyInAnyOrder(
                "route a-route a/1 HANDLED", "complete a/1 HANDLED",
                "route a-route a/bad FAILED", "complete a/bad FAILED",
                "complete b UNMATCHED");
        assertThat(events.indexOf("route a-route a/1 HANDLED")).isLessThan(events.indexOf("complete a/1 HANDLED"));
        assertThat(events.indexOf("route a-route a/bad FAILED")).isLessThan(events.indexOf("complete a/bad FAILED"));
    }

    @Test
    void contextCarriesThePublisherAndTheConfiguredJsonMapper() throws Exception {
        TestSupport.RecordingPublisher pub = new TestSupport.RecordingPublisher();
        Router r = Router.create();
        r.on("req/{id}", ctx -> ctx.publish("resp/" + ctx.param("id"), ctx.json().get("v").asInt() + 1 + ""));
        try (Dispatcher d = Dispatcher.builder(r.build()).publisher(pub)
                .json(tools.jackson.databind.json.JsonMapper.builder().build()).threadName("test-handler").build()) {
            assertThat(d.table().size()).isEqualTo(1);
            assertThat(TestSupport.await(send(d, new Message("s9", "req/7", "{\"v\":41}".getBytes(), 1, false, null))))
                    .isEqualTo(Outcome.HANDLED);
        }
        assertThat(pub.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo("resp/7");
            assertThat(p.session()).isEqualTo("s9");
            assertThat(TestSupport.utf8(p.payload())).isEqualTo("42");
        });
    }

    @Test
    void handlersRunOnNamedVirtualThreads() throws Exception {
        AtomicBoolean virtual = new AtomicBoolean();
        List<String> names = new CopyOnWriteArrayList<>();
        Router r = Router.create();
        r.on("v", ctx -> {
            virtual.set(Thread.currentThread().isVirtual());
            names.add(Thread.currentThread().getName());
        });
        try (Dispatcher d = Dispatcher.builder(r.build()).threadName("my-handlers").build()) {
            sendAndWait(d, "v", "");
        }
        assertThat(virtual).isTrue();
        assertThat(names).singleElement().asString().startsWith("my-handlers-");
    }

    @Test
    void builderAndDispatchValidate() {
        RouteTable t = Router.create().build();
        assertThatThrownBy(() -> Dispatcher.builder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Dispatcher.builder(t).maxInFlight(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> Dispatcher.builder(t).threadName(null)).isInstanceOf(NullPointerException.class);
        try (Dispatcher d = Dispatcher.builder(t).build()) {
            assertThatThrownBy(() -> d.dispatch(null, Acknowledgement.none())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> d.dispatch(Message.of("a", ""), null)).isInstanceOf(NullPointerException.class);
            assertThat(d.stats().total()).isZero();
        }
    }

    @Test
    void interruptedWhileWaitingForRoomDoesNotAcceptTheMessage() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Router r = Router.create();
        r.on("x/{n}", ctx -> release.await());
        try (Dispatcher d = Dispatcher.builder(r.build()).maxInFlight(1).build()) {
            CompletableFuture<Outcome> first = send(d, Message.of("x/1", ""));
            AtomicBoolean acked = new AtomicBoolean();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread producer = Thread.ofPlatform().start(() -> {
                try {
                    d.dispatch(Message.of("x/2", ""), o -> acked.set(true));
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            });
            await().atMost(WAIT).until(() -> producer.getState() == Thread.State.WAITING);
            producer.interrupt();
            producer.join(WAIT.toMillis());
            assertThat(interrupted).isTrue();
            release.countDown();
            assertThat(await(first)).isEqualTo(Outcome.HANDLED);
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(acked).isFalse();
            assertThat(d.stats().total()).isEqualTo(1);
        }
    }
}
