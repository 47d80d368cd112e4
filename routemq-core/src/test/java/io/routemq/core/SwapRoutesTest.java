package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Dispatcher#swapRoutes}: a message in flight finishes on the old code, the next one runs the new code. */
class SwapRoutesTest {

    @Test
    void inFlightMessageFinishesOnTheOldTableAndLaterOnesRunTheNew() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Router v1 = Router.create();
        v1.on("data/{id}", ctx -> {
            entered.countDown();
            release.await();
            ran.add("v1:" + ctx.text());
        });
        Router v2 = Router.create();
        v2.on("data/{id}", ctx -> ran.add("v2:" + ctx.text()));
        v2.on("extra/{id}", ctx -> ran.add("extra:" + ctx.text()));
        try (Dispatcher d = Dispatcher.builder(v1.build()).build()) {
            CompletableFuture<Outcome> first = send(d, Message.of("data/a", "1"));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            RouteTable old = d.swapRoutes(v2.build());
            assertThat(old.routes()).hasSize(1);
            assertThat(d.table().routes()).hasSize(2);
            // another topic: runs at once on the new table while the first message is still in its old handler
            assertThat(send(d, Message.of("data/b", "2")).get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(send(d, Message.of("extra/x", "3")).get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            // the same topic: queued behind the old message, in order, on the new code
            CompletableFuture<Outcome> sameTopic = send(d, Message.of("data/a", "4"));
            assertThat(first).isNotDone();
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(sameTopic.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(ran).containsExactly("v2:2", "extra:3", "v1:1", "v2:4");
        }
    }

    @Test
    void aTableNamingAnUnknownSinkIsRefusedAndTheOldOneStays() throws Exception {
        Router v1 = Router.create();
        v1.on("data/{id}", ctx -> { });
        Router bad = Router.create();
        bad.on("data/{id}", ctx -> { }).to("nowhere");
        try (Dispatcher d = Dispatcher.builder(v1.build()).build()) {
            RouteTable before = d.table();
            assertThatThrownBy(() -> d.swapRoutes(bad.build())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("nowhere");
            assertThat(d.table()).isSameAs(before);
            assertThat(send(d, Message.of("data/a", "1")).get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
        }
    }

    private static CompletableFuture<Outcome> send(Dispatcher d, Message m) throws InterruptedException {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        d.dispatch(m, f::complete);
        return f;
    }

}
