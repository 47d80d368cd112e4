package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import io.routemq.server.cli.RouteMqCli;

import static io.routemq.server.gateway.GatewayTestSupport.common;
import static io.routemq.server.gateway.GatewayTestSupport.deadLetters;
import static io.routemq.server.gateway.GatewayTestSupport.load;
import static io.routemq.server.gateway.GatewayTestSupport.report;
import static io.routemq.server.gateway.GatewayTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code routemq dlq} against the queue of a gateway that dead-lettered real messages: refused while the gateway runs
 * (the queue directory is locked), and dead-letter ids, which are numbered per sink queue, never act on another sink's
 * dead letters.
 */
@ExtendWith(SharedBroker.class)
class DeadLetterCliGatewayTest {

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new RouteMqCli().execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void dlqIsRefusedWhileRunningAndAnIdNeverReachesAnotherSinksDeadLetter(EmbeddedBroker broker, @TempDir Path tmp) throws Exception {
        try (TestReceiver r = TestReceiver.start("rejecting")) {
            r.responder((k, path, body) -> 400);
            Path file = write(tmp, "routemq.yaml", common(broker.tcpPort(), "gw-dlq-cli", tmp.resolve("queue"), false) + """
                    routes:
                      - { name: ra, topic: 'dlqcli/a/#', to: [a] }
                      - { name: rb, topic: 'dlqcli/b/#', to: [b] }
                    sinks:
                      a:
                        http: { urls: ['%s'], body: envelope }
                      b:
                        http: { urls: ['%s'], body: envelope }
                    """.formatted(r.url("/a"), r.url("/b")));
            try (Gateway g = GatewayTestSupport.startReady(load(file)); TestPublisher pub = TestPublisher.connect(broker.tcpPort(), "pub-dlq-cli")) {
                pub.publish("dlqcli/a/1", "{\"seq\":1}").get();
                pub.publish("dlqcli/b/2", "{\"seq\":2}").get();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deadLetters(g)).isEqualTo(2));

                Run locked = cli("dlq", "list", "--config", file.toString());
                assertThat(locked.code()).isEqualTo(1);
                // in this JVM the lock says "already open in this process"; from another process "in use by another process"
                assertThat(locked.err()).contains("queue directory " + tmp.resolve("queue").toAbsolutePath());
                report("dlq-cli", "while the gateway runs: exit " + locked.code() + ": " + locked.err().strip());
                g.stop(Duration.ofSeconds(10));
            }

            Run list = cli("dlq", "list", "--config", file.toString());
            assertThat(list.code()).isZero();
            assertThat(list.out()).contains("sink a: 1 dead letter(s)").contains("sink b: 1 dead letter(s)");
            report("dlq-cli", "dlq list:\n" + list.out().strip());

            // '#0' exists in both sinks' dead-letter queues: without --sink the id is ambiguous and nothing is touched
            Run ambiguous = cli("dlq", "purge", "--config", file.toString(), "0");
            report("dlq-cli", "dlq purge 0 (no --sink): exit " + ambiguous.code() + " out: " + ambiguous.out().strip() + " err: " + ambiguous.err().strip());
            assertThat(cli("dlq", "list", "--config", file.toString()).out())
                    .as("an id without --sink must not purge both sinks' dead letters")
                    .contains("sink a: 1 dead letter(s)").contains("sink b: 1 dead letter(s)");
            assertThat(ambiguous.code()).isEqualTo(1);
            assertThat(ambiguous.out()).contains("dead letter #0 is ambiguous").contains("a, b").contains("--sink").contains("nothing was changed");
            Run ambiguousReplay = cli("dlq", "replay", "--config", file.toString(), "0");
            assertThat(ambiguousReplay.code()).isEqualTo(1);
            assertThat(ambiguousReplay.out()).contains("ambiguous");
            Run unknown = cli("dlq", "purge", "--config", file.toString(), "99");
            assertThat(unknown.code()).as("an id found nowhere is an error").isEqualTo(1);
            assertThat(unknown.out()).contains("no dead letter #99");
            Run show = cli("dlq", "show", "--config", file.toString(), "0");
            assertThat(show.code()).isZero();
            assertThat(show.out()).contains("sink a dead letter #0").contains("topic: dlqcli/a/1")
                    .contains("sink b dead letter #0").contains("topic: dlqcli/b/2");

            Run purgeA = cli("dlq", "purge", "--config", file.toString(), "--sink", "a", "0");
            assertThat(purgeA.code()).isZero();
            Run after = cli("dlq", "list", "--config", file.toString());
            assertThat(after.out()).contains("sink a: 0 dead letter(s)").contains("sink b: 1 dead letter(s)");
            report("dlq-cli", "dlq purge --sink a 0: " + purgeA.out().strip() + "; then list:\n" + after.out().strip());
            Run replayB = cli("dlq", "replay", "--config", file.toString(), "0"); // now only sink b holds #0
            assertThat(replayB.code()).isZero();
            assertThat(replayB.out()).isEqualTo("sink b: #0 moved back to the queue\n");
        }
    }
}
