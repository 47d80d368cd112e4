package io.routemq.broker;

import static io.routemq.broker.Mqtt.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.routemq.broker.BrokerConfig.AclRule;
import io.routemq.broker.BrokerConfig.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ACL semantics with real clients: a subscription is refused only when nothing it matches could be delivered; any
 * other subscription is accepted and each delivery is checked, so a broad subscriber never gets a denied topic.
 * The first test is the Eclipse Paho interoperability suite's setup: one rule refusing subscriptions to
 * {@code test/nosubscribe}.
 */
class AclDeliveryTest {

    @Test
    void pahoCasesUnderOneDenyRule() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().allowAnonymous(true)
                .configure(c -> c.aclDefaultAllow(true).aclRule(AclRule.deny("test/nosubscribe", Action.SUBSCRIBE)))
                .build()) {
            broker.start();
            int port = broker.tcpPort();
            Mqtt5BlockingClient publisher = Mqtt.connect5(port);
            // a retained message on the denied topic must not reach a later '#' subscriber either
            publisher.publishWith().topic("test/nosubscribe").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("r")).send();

            Mqtt5BlockingClient v5 = Mqtt.connect5(port);
            Mqtt3BlockingClient v3 = Mqtt.connect3(port);
            try (Mqtt5BlockingClient.Mqtt5Publishes got5 = v5.publishes(MqttGlobalPublishFilter.ALL);
                 Mqtt3BlockingClient.Mqtt3Publishes got3 = v3.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(v5.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                        .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
                assertThat(v5.subscribeWith().topicFilter("+/+").qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes())
                        .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
                assertThat(subAck5(v5, "test/nosubscribe")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
                assertThat(v3.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send().getReturnCodes())
                        .containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
                assertThat(subAck3(v3, "test/nosubscribe")).isEqualTo(Mqtt3SubAckReturnCode.FAILURE);

                for (int i = 0; i < 10; i++) {
                    String topic = i % 2 == 0 ? "test/nosubscribe" : "test/ok";
                    publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("m" + i)).send();
                }
                publisher.publishWith().topic("test/end").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("end")).send();
                List<String> topics5 = drain5(got5);
                List<String> topics3 = drain3(got3);
                System.out.printf("Paho case: '#' subscribers got %d (MQTT 5) and %d (3.1.1) messages, none on"
                        + " test/nosubscribe; %d deliveries filtered%n", topics5.size(), topics3.size(),
                        broker.stats().filteredDeliveries());
                // v5 holds '#' and '+/+': each allowed message may come once per matching subscription
                assertThat(topics5).doesNotContain("test/nosubscribe").contains("test/ok", "test/end");
                assertThat(topics3).doesNotContain("test/nosubscribe").containsExactly("test/ok", "test/ok", "test/ok",
                        "test/ok", "test/ok", "test/end");
                assertThat(broker.stats().filteredDeliveries()).isGreaterThanOrEqualTo(10);
                // the filtered deliveries are not reported as dropped by a full queue
                assertThat(broker.stats().droppedMessages()).isZero();
            }
            v5.disconnect();
            v3.disconnect();
            publisher.disconnect();
        }
    }

    @Test
    void anAllowListAcceptsABroaderFilterButDeliversOnlyWhatItAllows() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().allowAnonymous(true)
                .configure(c -> c.aclRule(AclRule.allow("gw/#", Action.SUBSCRIBE).forUser("gw-reader"))
                        .aclRule(AclRule.allow("#", Action.PUBLISH)))
                .user("gw-reader", "pw")
                .build()) {
            broker.start();
            int port = broker.tcpPort();
            Mqtt5BlockingClient reader = Mqtt.v5(port).buildBlocking();
            reader.connectWith().simpleAuth().username("gw-reader").password(utf8("pw")).applySimpleAuth().send();
            Mqtt5BlockingClient publisher = Mqtt.connect5(port);
            try (Mqtt5BlockingClient.Mqtt5Publishes got = reader.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(subAck5(reader, "#")).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
                assertThat(subAck5(reader, "other/#")).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
                for (String topic : List.of("gw/a", "other/a", "gw/b/c", "secret", "gw")) {
                    publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(topic)).send();
                }
                publisher.publishWith().topic("gw/end").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("end")).send();
                List<String> topics = drain5(got);
                assertThat(topics).containsExactly("gw/a", "gw/b/c", "gw", "gw/end");
            }
            reader.disconnect();
            publisher.disconnect();
        }
    }

    private static Mqtt5SubAckReasonCode subAck5(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    private static Mqtt3SubAckReturnCode subAck3(Mqtt3BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReturnCodes().get(0);
        } catch (Mqtt3SubAckException e) {
            return e.getMqttMessage().getReturnCodes().get(0);
        }
    }

    /** @return the topics received until the last "end" message (whose topic ends with /end), in order */
    private static List<String> drain5(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        List<String> topics = new ArrayList<>();
        int ends = 0;
        while (true) {
            Optional<Mqtt5Publish> p = publishes.receive(ends == 0 ? 10 : 1, TimeUnit.SECONDS);
            if (p.isEmpty()) {
                return topics;
            }
            String t = p.get().getTopic().toString();
            topics.add(t);
            ends += t.endsWith("/end") ? 1 : 0;
        }
    }

    private static List<String> drain3(Mqtt3BlockingClient.Mqtt3Publishes publishes) throws InterruptedException {
        List<String> topics = new ArrayList<>();
        int ends = 0;
        while (true) {
            var p = publishes.receive(ends == 0 ? 10 : 1, TimeUnit.SECONDS);
            if (p.isEmpty()) {
                return topics;
            }
            String t = p.get().getTopic().toString();
            topics.add(t);
            ends += t.endsWith("/end") ? 1 : 0;
        }
    }
}
