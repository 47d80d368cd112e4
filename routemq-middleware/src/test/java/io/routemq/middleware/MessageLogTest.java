package io.routemq.middleware;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.routemq.core.Outcome.FAILED;
import static io.routemq.core.Outcome.HANDLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Structured, sampled message logging. */
class MessageLogTest {

    private static Map<String, Object> kv(ILoggingEvent e) {
        List<KeyValuePair> pairs = e.getKeyValuePairs();
        return pairs.stream().collect(Collectors.toMap(p -> p.key, p -> p.value));
    }

    @Test
    void logsKeyValuesWithoutThePayloadUnlessAsked() throws Exception {
        ListAppender<ILoggingEvent> plain = Pipeline.capture("test.plain", Level.INFO);
        ListAppender<ILoggingEvent> withPayload = Pipeline.capture("test.payload", Level.INFO);
        try (Pipeline p = new Pipeline((r, h) -> {
            r.on("a/{id}", h).name("plain").middleware(MessageLog.of(LogConfig.defaults().withLogger("test.plain")));
            r.on("b/{id}", ctx -> {
                throw new IllegalStateException("boom");
            }).name("payload").middleware(MessageLog.of(LogConfig.defaults().withLogger("test.payload").withPayload(4)));
        })) {
            assertThat(p.send("a/1", "secret-reading")).isEqualTo(HANDLED);
            assertThat(p.send("b/1", "0123456789")).isEqualTo(FAILED);
            assertThat(plain.list).singleElement().satisfies(e -> {
                assertThat(kv(e)).containsEntry("route", "plain").containsEntry("topic", "a/1").containsEntry("bytes", 14)
                        .containsEntry("result", "ok").doesNotContainKey("payload");
                assertThat(e.getFormattedMessage()).doesNotContain("secret");
            });
            assertThat(withPayload.list).singleElement().satisfies(e ->
                    assertThat(kv(e)).containsEntry("result", "error").containsEntry("payload", "0123..."));
        } finally {
            Pipeline.release("test.plain", plain);
            Pipeline.release("test.payload", withPayload);
        }
    }

    @Test
    void samplesAShareOfTheMessages() throws Exception {
        ListAppender<ILoggingEvent> logs = Pipeline.capture("test.sampled", Level.INFO);
        try (Pipeline p = new Pipeline((r, h) -> r.on("s/#", h).unordered()
                .middleware(MessageLog.of(LogConfig.defaults().withLogger("test.sampled").withSample(0.1))))) {
            List<io.routemq.core.Message> many = new java.util.ArrayList<>();
            for (int i = 0; i < 2000; i++) many.add(io.routemq.core.Message.of("s/" + i, "x"));
            assertThat(p.sendAll(many)).containsOnly(HANDLED);
            // binomial(2000, 0.1): mean 200, sd 13.4; 100..300 is more than 7 sd either way
            assertThat(logs.list.size()).isBetween(100, 300);
        } finally {
            Pipeline.release("test.sampled", logs);
        }
    }

    @Test
    void badOptionsNameTheKey() {
        assertThatThrownBy(() -> LogConfig.defaults().withSample(0)).hasMessageStartingWith("sample:");
        assertThatThrownBy(() -> LogConfig.defaults().withPayload(0)).hasMessageStartingWith("maxPayload:");
    }
}
