package io.routemq.test;

import io.routemq.core.MessageProperties;
import io.routemq.core.Outcome;
import io.routemq.core.Publication;
import io.routemq.core.UserProperty;
import io.routemq.core.sink.Envelope;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RouteMqTest(routes = SensorRoutes.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandlerAndSinkTest {

    @Test
    @Order(1)
    void aHandlerRunsPublishesAndItsRouteForwardsToTheCapturingSink(RouteMqTester mq) {
        SharedBrokerTest.BROKERS.add(mq.brokerUrl());
        assertThat(SharedBrokerTest.BROKERS).hasSize(1);
        mq.publish("sensors/d1/data", "150");
        mq.publish("sensors/d2/data", "20");

        List<HandledMessage> handled = mq.awaitHandled("sensors/{deviceId}/data", 2);
        assertThat(handled).extracting(HandledMessage::topic).containsExactlyInAnyOrder("sensors/d1/data", "sensors/d2/data");

        List<Envelope> ingested = mq.sink("ingest").awaitReceived(2);
        assertThat(ingested).extracting(e -> e.params().get("deviceId")).containsExactlyInAnyOrder("d1", "d2");
        assertThat(ingested).allSatisfy(e -> assertThat(e.route()).isEqualTo("sensors/{deviceId}/data"));

        List<Publication> alerts = mq.awaitPublished("alerts/+/high", 1);
        assertThat(alerts).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo("alerts/d1/high");
            assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("value 150");
        });
    }

    @Test
    @Order(2)
    void everyTestStartsWithNothingRecorded(RouteMqTester mq) {
        // the first test left two handled messages, two envelopes and a publication behind
        assertThat(mq.handled()).isEmpty();
        assertThat(mq.published()).isEmpty();
        assertThat(mq.sink("ingest").envelopes()).isEmpty();
    }

    @Test
    @Order(3)
    void propertiesAndQosReachTheRouteAndItsSink(RouteMqTester mq) {
        MessageProperties props = MessageProperties.builder().userProperty("tenant", "acme").contentType("text/plain").build();
        mq.publish(new Publication(null, "sensors/d3/data", "7".getBytes(StandardCharsets.UTF_8), 2, false, props));

        Envelope e = mq.sink("ingest").awaitReceived(1).get(0);
        assertThat(e.userProperties()).containsExactly(new UserProperty("tenant", "acme"));
        assertThat(e.contentType()).isEqualTo("text/plain");
        assertThat(e.qos()).isEqualTo(1); // the route subscribes at QoS 1
    }

    @Test
    void aReplyGoesToTheRequestsResponseTopicWithItsCorrelationData(RouteMqTester mq) {
        MessageProperties request = MessageProperties.builder().responseTopic("replies/t1")
                .correlationData(new byte[] {4, 2}).build();
        mq.publish(new Publication(null, "rpc/echo", "ping".getBytes(StandardCharsets.UTF_8), 1, false, request));

        assertThat(mq.awaitPublished("replies/#", 1)).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo("replies/t1");
            assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("echo ping");
            assertThat(p.properties().correlationData()).containsExactly(4, 2);
        });
    }

    @Test
    void aTimeoutSaysWhatWasHandledInstead(RouteMqTester mq) throws InterruptedException {
        mq.publish("boom/b7", "x");
        mq.publish("sensors/d5/data", "not a number");
        waitUntil(() -> mq.handled().size() == 2);

        assertThatThrownBy(() -> mq.awaitHandled("sensors/{deviceId}/data", 1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected 1 message(s) handled by route 'sensors/{deviceId}/data' within 50ms, but it handled 0;")
                .hasMessageContaining("FAILED boom/b7 by 'boom/{id}': java.lang.IllegalStateException: no boom allowed for b7")
                .hasMessageContaining("FAILED sensors/d5/data by 'sensors/{deviceId}/data': java.lang.NumberFormatException");
        assertThat(mq.handled("boom/{id}")).singleElement().satisfies(h -> {
            assertThat(h.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(h.error()).hasMessage("no boom allowed for b7");
        });
    }

    @Test
    void aSinkTimeoutAndAPublicationTimeoutSayWhatArrived(RouteMqTester mq) {
        mq.publish("sensors/d4/data", "5");
        mq.awaitHandled("sensors/{deviceId}/data", 1);

        assertThatThrownBy(() -> mq.sink("ingest").awaitReceived(2, Duration.ofMillis(50)))
                .hasMessageStartingWith("expected 2 envelope(s) at sink 'ingest' within 50ms, but it received 1")
                .hasMessageContaining("topic=sensors/d4/data");
        assertThatThrownBy(() -> mq.awaitPublished("alerts/#", 1, Duration.ofMillis(50)))
                .hasMessageStartingWith("expected 1 publication(s) to 'alerts/#' within 50ms, but there were 0")
                .hasMessageContaining("HANDLED sensors/d4/data by 'sensors/{deviceId}/data'");
    }

    @Test
    void anUnknownRouteOrSinkIsNamedWithTheOnesThereAre(RouteMqTester mq) {
        assertThatThrownBy(() -> mq.awaitHandled("sensors/{id}/data", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no route named or with the pattern 'sensors/{id}/data'; the routes are 'boom/{id}', 'rpc/echo', 'sensors/{deviceId}/data'");
        assertThatThrownBy(() -> mq.sink("archive"))
                .hasMessageStartingWith("no sink 'archive': the routes forward to 'ingest'");
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10s");
            Thread.sleep(10);
        }
    }
}
