package io.routemq.middleware;

import io.routemq.core.Message;
import io.routemq.core.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.routemq.core.Outcome.FILTERED;
import static io.routemq.core.Outcome.HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A local rate limit through a real Router and Dispatcher. */
class RateLimitTest {

    @Test
    void dropAcknowledgesTheMessagesOverTheLimitWithoutHandlingThem() throws Exception {
        MiddlewareCounters counters = new MiddlewareCounters();
        RateLimit limit = RateLimit.tokenBucket(1, Duration.ofHours(1)).burst(3).key(KeySource.param("id")).metrics(counters).build();
        try (Pipeline p = new Pipeline((r, h) -> r.on("dev/{id}/data", h).middleware(limit))) {
            List<Outcome> a = new ArrayList<>();
            for (int i = 0; i < 5; i++) a.add(p.send("dev/a/data", "x" + i));
            assertThat(a).containsExactly(HANDLED, HANDLED, HANDLED, FILTERED, FILTERED);
            assertThat(p.send("dev/b/data", "y")).as("another device has its own bucket").isEqualTo(HANDLED);
            assertThat(p.handled).hasSize(4);
            assertThat(counters.count("rateLimit", "dropped")).isEqualTo(2);
            assertThat(p.dispatcher.stats().filtered()).isEqualTo(2);
        }
    }

    @Test
    void windowsCountPerUserPropertyAndMessagesWithoutOneShareALimit() throws Exception {
        for (RateLimit limit : List.of(
                RateLimit.fixedWindow(2, Duration.ofHours(1)).key(KeySource.userProperty("client")).build(),
                RateLimit.slidingWindow(2, Duration.ofHours(1)).key(KeySource.userProperty("client")).build())) {
            try (Pipeline p = new Pipeline((r, h) -> r.on("t/#", h).middleware(limit))) {
                // One at a time: the topics differ, so messages sent together run on their own lanes in any order,
                // and which of c1's three comes third (and is over the limit) would be the scheduler's choice.
                List<Outcome> out = new ArrayList<>();
                for (Message m : List.of(Pipeline.message("t/1", "a", "client", "c1"), Pipeline.message("t/2", "b", "client", "c1"),
                        Pipeline.message("t/3", "c", "client", "c1"), Pipeline.message("t/4", "d", "client", "c2"))) {
                    out.add(p.send(m));
                }
                assertThat(out).as(limit.config().algorithm().key()).containsExactly(HANDLED, HANDLED, FILTERED, HANDLED);
                assertThat(List.of(p.send("t/5", "e"), p.send("t/6", "f"), p.send("t/7", "g")))
                        .as("messages without the property share one limit").containsExactly(HANDLED, HANDLED, FILTERED);
            }
        }
    }

    @Test
    void sessionAndTopicKeys() throws Exception {
        RateLimit bySession = RateLimit.fixedWindow(1, Duration.ofHours(1)).key(KeySource.session()).build();
        RateLimit byTopic = RateLimit.fixedWindow(1, Duration.ofHours(1)).build();
        try (Pipeline p = new Pipeline((r, h) -> {
            r.on("s/#", h).middleware(bySession);
            r.on("t/#", h).middleware(byTopic);
        })) {
            assertThat(p.send("s/1", "x")).isEqualTo(HANDLED);
            assertThat(p.send("s/2", "x")).as("same session, other topic").isEqualTo(FILTERED);
            assertThat(p.send("t/1", "x")).isEqualTo(HANDLED);
            assertThat(p.send("t/2", "x")).as("other topic").isEqualTo(HANDLED);
            assertThat(p.send("t/1", "x")).isEqualTo(FILTERED);
        }
    }

    @Test
    void delayHoldsTheMessageAndItsAckUntilATokenFrees() throws Exception {
        MiddlewareCounters counters = new MiddlewareCounters();
        RateLimit limit = RateLimit.tokenBucket(20, Duration.ofSeconds(1)).burst(1).onLimit(RateLimitConfig.OnLimit.DELAY)
                .metrics(counters).build();
        try (Pipeline p = new Pipeline((r, h) -> r.on("d/{id}", h).middleware(limit))) {
            List<Message> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) five.add(Message.of("d/1", "m" + i));
            assertThat(p.sendAll(five)).containsOnly(HANDLED).hasSize(5);
            assertThat(p.handled).extracting(Message::topic).hasSize(5);
            assertThat(counters.count("rateLimit", "delayed")).isEqualTo(4);
            assertThat(counters.count("rateLimit", "dropped")).isZero();
            // 4 tokens at 20/s cannot come sooner than 200 ms after the first (a lower bound, never a timing race)
            long spanMillis = (p.handledAtNanos.get(4) - p.handledAtNanos.get(0)) / 1_000_000;
            assertThat(spanMillis).isGreaterThanOrEqualTo(190);
        }
    }

    @Test
    void badOptionsNameTheKey() {
        assertThatThrownBy(() -> RateLimit.tokenBucket(0, Duration.ofSeconds(1)).build()).hasMessageStartingWith("tokenBucket.rate:");
        assertThatThrownBy(() -> RateLimit.fixedWindow(5, Duration.ZERO).build()).hasMessageStartingWith("fixedWindow.limit:");
        assertThatThrownBy(() -> RateLimit.fixedWindow(5, Duration.ofSeconds(1)).burst(9).build()).hasMessageStartingWith("fixedWindow:");
        assertThatThrownBy(() -> KeySource.parse("client")).hasMessageStartingWith("key:");
        assertThatThrownBy(() -> KeySource.parse("param.")).hasMessageStartingWith("key:");
    }
}
