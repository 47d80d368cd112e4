package io.routemq.core;

import io.routemq.core.TestSupport.RecordingPublisher;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.routemq.core.TestSupport.NOOP;
import static io.routemq.core.TestSupport.context;
import static io.routemq.core.TestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The context a handler sees: params, payload, JSON, properties, attributes, publish and reply. */
class ContextTest {

    record Reading(String id, double value, List<String> tags) {
    }

    private static RouteTable table() {
        Router r = Router.create();
        r.on("sensors/{deviceId}/data/{n}", NOOP).name("sensor-data");
        r.on("req/{id}", NOOP);
        r.on("files/{path...}", NOOP);
        return r.build();
    }

    private static Context ctx(String topic, String payload) {
        return context(table(), Message.of(topic, payload), new RecordingPublisher());
    }

    @Test
    void paramsAndTypedParams() {
        Context c = ctx("sensors/d1/data/42", "");
        assertThat(c.params()).containsExactly(Map.entry("deviceId", "d1"), Map.entry("n", "42"));
        assertThat(c.param("deviceId")).isEqualTo("d1");
        assertThat(c.paramInt("n")).isEqualTo(42);
        assertThat(c.paramLong("n")).isEqualTo(42L);
        assertThat(c.paramDouble("n")).isEqualTo(42.0);
        String bang = c.param("n", s -> s + "!");
        assertThat(bang).isEqualTo("42!");
        assertThat(c.topic()).isEqualTo("sensors/d1/data/42");
        assertThat(c.route().name()).isEqualTo("sensor-data");
        assertThat(c.session()).isEqualTo(Message.DEFAULT_SESSION);
        assertThat(c.toString()).contains("sensor-data").contains("sensors/d1/data/42");

        UUID id = UUID.randomUUID();
        assertThat(ctx("req/" + id, "").paramUuid("id")).isEqualTo(id);
        assertThat(ctx("req/-17", "").paramInt("id")).isEqualTo(-17);
        assertThat(ctx("req/9000000000", "").paramLong("id")).isEqualTo(9_000_000_000L);
        assertThat(ctx("req/2.5", "").paramDouble("id")).isEqualTo(2.5);
        assertThat(ctx("files/a/b", "").param("path")).isEqualTo("a/b");
        assertThat(ctx("files", "").param("path")).isEmpty();
    }

    @Test
    void typedParamErrorsNameTheParamAndValue() {
        Context c = ctx("sensors/d1/data/4x2", "");
        assertThatThrownBy(() -> c.paramInt("n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'n'").hasMessageContaining("'4x2'")
                .hasMessageContaining("'sensors/d1/data/4x2'");
        assertThatThrownBy(() -> c.paramLong("deviceId")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'deviceId' = 'd1'");
        assertThatThrownBy(() -> c.paramDouble("deviceId")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'deviceId' = 'd1'");
        assertThatThrownBy(() -> c.paramUuid("deviceId")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'deviceId' = 'd1'");
        assertThatThrownBy(() -> ctx("req/99999999999", "").paramInt("id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'99999999999'");
        assertThatThrownBy(() -> c.param("deviceId", v -> {
            throw new IllegalStateException("not a known device");
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a known device")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownParamNamesTheRouteAndItsParams() {
        Context c = ctx("sensors/d1/data/1", "");
        assertThatThrownBy(() -> c.param("device")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sensor-data'").hasMessageContaining("no parameter 'device'")
                .hasMessageContaining("[deviceId, n]");
        assertThatThrownBy(() -> c.paramInt("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no parameter 'nope'");
    }

    @Test
    void payloadAndText() {
        Context c = ctx("req/1", "héllo wörld €");
        assertThat(c.text()).isEqualTo("héllo wörld €").isSameAs(c.text());
        assertThat(c.payload()).isEqualTo("héllo wörld €".getBytes(StandardCharsets.UTF_8));
        Context bad = context(table(), Message.of("req/1", new byte[] {'a', (byte) 0xFF, 'b'}), null);
        assertThat(bad.text()).isEqualTo("a\uFFFDb");
    }

    @Test
    void jsonTreeIsParsedOnce() {
        Context c = ctx("req/1", "{\"id\":\"d1\",\"value\":21.5,\"tags\":[\"a\",\"b\"]}");
        JsonNode first = c.json();
        assertThat(first.get("id").asString()).isEqualTo("d1");
        assertThat(first.get("value").asDouble()).isEqualTo(21.5);
        assertThat(c.json()).isSameAs(first);
        // binding to a type reuses the same tree: the tree is still the same instance afterwards
        assertThat(c.json(Reading.class)).isEqualTo(new Reading("d1", 21.5, List.of("a", "b")));
        assertThat(c.json()).isSameAs(first);
    }

    @Test
    void jsonBindsRecordsAndGenericTypes() {
        Context c = ctx("req/1", "{\"id\":\"x\",\"value\":1,\"tags\":[]}");
        assertThat(c.json(Reading.class)).isEqualTo(new Reading("x", 1.0, List.of()));
        Map<String, Object> map = c.json(new TypeReference<Map<String, Object>>() { });
        assertThat(map).containsEntry("id", "x").containsEntry("value", 1);
        assertThat(ctx("req/1", "[1,2,3]").json(new TypeReference<List<Integer>>() { })).containsExactly(1, 2, 3);
    }

    @Test
    void invalidJsonIsAPayloadExceptionNamingTheTopic() {
        Context c = ctx("sensors/d9/data/1", "{\"id\": ");
        PayloadException e = catchThrowableOfType(PayloadException.class, c::json);
        assertThat(e.getMessage()).contains("'sensors/d9/data/1'").contains("'sensor-data'").contains("not valid JSON");
        assertThat(e.getCause()).isNotNull();
        assertThatThrownBy(() -> c.json(Reading.class)).isInstanceOf(PayloadException.class)
                .hasMessageContaining("'sensors/d9/data/1'");
        assertThatThrownBy(() -> ctx("req/1", "not json").json()).isInstanceOf(PayloadException.class)
                .hasMessageContaining("'req/1'");
        assertThatThrownBy(() -> ctx("req/1", "{\"a\":1} trailing").json()).isInstanceOf(PayloadException.class);
    }

    @Test
    void emptyPayloadIsNotJson() {
        Context c = ctx("req/7", "");
        assertThatThrownBy(c::json).isInstanceOf(PayloadException.class).hasMessageContaining("'req/7'");
        assertThatThrownBy(() -> c.json(Reading.class)).isInstanceOf(PayloadException.class).hasMessageContaining("'req/7'");
        assertThatThrownBy(() -> ctx("req/7", "   ").json()).isInstanceOf(PayloadException.class);
    }

    @Test
    void jsonOfTheWrongShapeNamesTheTypeAndTopic() {
        Context c = ctx("req/3", "{\"id\":\"x\",\"value\":\"not a number\"}");
        assertThatThrownBy(() -> c.json(Reading.class)).isInstanceOf(PayloadException.class)
                .hasMessageContaining("'req/3'").hasMessageContaining("Reading");
        assertThatThrownBy(() -> ctx("req/3", "{\"a\":1}").json(new TypeReference<List<Integer>>() { }))
                .isInstanceOf(PayloadException.class).hasMessageContaining("'req/3'");
    }

    @Test
    void mqtt5Properties() {
        byte[] corr = {1, 2, 3};
        MessageProperties props = MessageProperties.builder()
                .userProperty("token", "t1").userProperty("trace", "x").userProperty("token", "t2")
                .contentType("application/json").responseTopic("replies/1").correlationData(corr)
                .messageExpirySeconds(60L).payloadUtf8(true).build();
        Message m = new Message("plant", "req/1", "{}".getBytes(StandardCharsets.UTF_8), 2, true, props);
        Context c = context(table(), m, null);
        assertThat(c.userProperty("token")).isEqualTo("t1");
        assertThat(c.userProperty("missing")).isNull();
        assertThat(c.userProperties()).containsExactly(new UserProperty("token", "t1"), new UserProperty("trace", "x"),
                new UserProperty("token", "t2"));
        assertThat(c.contentType()).isEqualTo("application/json");
        assertThat(c.responseTopic()).isEqualTo("replies/1");
        assertThat(c.correlationData()).containsExactly(1, 2, 3);
        assertThat(c.messageExpirySeconds()).isEqualTo(60L);
        assertThat(c.properties().payloadUtf8()).isTrue();
        assertThat(c.qos()).isEqualTo(2);
        assertThat(c.retain()).isTrue();
        assertThat(c.session()).isEqualTo("plant");
        assertThat(c.message()).isSameAs(m);

        Context none = ctx("req/1", "");
        assertThat(none.properties()).isEqualTo(MessageProperties.NONE);
        assertThat(none.userProperties()).isEmpty();
        assertThat(none.contentType()).isNull();
        assertThat(none.responseTopic()).isNull();
        assertThat(none.correlationData()).isNull();
        assertThat(none.messageExpirySeconds()).isNull();
        assertThat(none.qos()).isZero();
        assertThat(none.retain()).isFalse();
        assertThatThrownBy(() -> none.userProperty(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void publishGoesThroughThePublisherOnTheMessagesSession() throws Exception {
        RecordingPublisher pub = new RecordingPublisher();
        Message m = new Message("plant", "req/1", new byte[0], 1, false, MessageProperties.NONE);
        Context c = context(table(), m, pub);

        c.publish("out/text", "hi").get();
        c.publish("out/bytes", new byte[] {9}, 0).get();
        c.publish("out/json", new Reading("r", 2.0, List.of("t"))).get();
        c.publish(new Publication(null, "out/pub", new byte[] {1}, 2, true, null)).get();
        c.publish(new Publication("office", "out/other", new byte[] {2}, 0, false, null)).get();

        List<Publication> p = pub.published;
        assertThat(p).hasSize(5);
        assertThat(p.get(0).session()).isEqualTo("plant");
        assertThat(p.get(0).topic()).isEqualTo("out/text");
        assertThat(utf8(p.get(0).payload())).isEqualTo("hi");
        assertThat(p.get(0).qos()).isEqualTo(1);
        assertThat(p.get(0).retain()).isFalse();
        assertThat(p.get(1).payload()).containsExactly(9);
        assertThat(p.get(1).qos()).isZero();
        assertThat(utf8(p.get(2).payload())).isEqualTo("{\"id\":\"r\",\"value\":2.0,\"tags\":[\"t\"]}");
        assertThat(p.get(2).qos()).isEqualTo(1);
        assertThat(p.get(3).session()).isEqualTo("plant");
        assertThat(p.get(3).qos()).isEqualTo(2);
        assertThat(p.get(3).retain()).isTrue();
        assertThat(p.get(3).properties()).isEqualTo(MessageProperties.NONE);
        assertThat(p.get(4).session()).isEqualTo("office");
    }

    @Test
    void publishWithoutAPublisherIsAClearError() {
        Context c = context(table(), Message.of("req/1", ""), null);
        assertThatThrownBy(() -> c.publish("out/x", "y")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Publisher").hasMessageContaining("'out/x'").hasMessageContaining("'req/{id}'");
    }

    @Test
    void publicationIsValidated() {
        assertThatThrownBy(() -> new Publication(null, "a/+", new byte[0], 0, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/+'");
        assertThatThrownBy(() -> new Publication(null, "a/#", new byte[0], 0, false, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Publication(null, "", new byte[0], 0, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty topic");
        assertThatThrownBy(() -> new Publication(null, "a", new byte[0], 3, false, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
        Context c = ctx("req/1", "");
        assertThatThrownBy(() -> c.publish("bad/#", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replyUsesResponseTopicCorrelationDataAndRequestQos() throws Exception {
        RecordingPublisher pub = new RecordingPublisher();
        MessageProperties props = MessageProperties.builder().responseTopic("resp/client-7").correlationData(new byte[] {4, 2}).build();
        Message m = new Message("s1", "req/1", "ping".getBytes(StandardCharsets.UTF_8), 1, false, props);
        Context c = context(table(), m, pub);
        c.reply("pong").get();
        c.replyJson(Map.of("ok", true)).get();
        c.reply(new byte[] {7}).get();

        assertThat(pub.published).hasSize(3);
        Publication r = pub.published.get(0);
        assertThat(r.topic()).isEqualTo("resp/client-7");
        assertThat(r.session()).isEqualTo("s1");
        assertThat(r.qos()).isEqualTo(1);
        assertThat(utf8(r.payload())).isEqualTo("pong");
        assertThat(r.properties().correlationData()).containsExactly(4, 2);
        assertThat(utf8(pub.published.get(1).payload())).isEqualTo("{\"ok\":true}");
        assertThat(pub.published.get(2).payload()).containsExactly(7);
    }

    @Test
    void replyWithoutCorrelationDataStillWorks() throws Exception {
        RecordingPublisher pub = new RecordingPublisher();
        Message m = Message.of("req/1", "x").withProperties(MessageProperties.builder().responseTopic("resp/1").build());
        context(table(), m, pub).reply("ok").get();
        assertThat(pub.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo("resp/1");
            assertThat(p.properties().correlationData()).isNull();
            assertThat(p.qos()).isZero();
        });
    }

    @Test
    void replyWithoutResponseTopicIsAClearError() {
        RecordingPublisher pub = new RecordingPublisher();
        Context c = context(table(), Message.of("req/5", "x"), pub);
        assertThatThrownBy(() -> c.reply("pong")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reply").hasMessageContaining("'req/5'").hasMessageContaining("no response topic");
        assertThatThrownBy(() -> c.replyJson(Map.of())).isInstanceOf(IllegalStateException.class);
        assertThat(pub.published).isEmpty();
    }

    @Test
    void attributes() {
        Context c = ctx("req/1", "");
        Object absent = c.attribute("k");
        assertThat(absent).isNull();
        assertThat(c.attribute("k", 5)).isSameAs(c);
        int k = c.attribute("k");
        assertThat(k).isEqualTo(5);
        c.attribute("k", null);
        Object cleared = c.attribute("k");
        assertThat(cleared).isNull();
        assertThatThrownBy(() -> c.attribute(null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void messageIsValidated() {
        assertThatThrownBy(() -> new Message("s", "t", new byte[0], 3, false, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'t'");
        assertThatThrownBy(() -> new Message(null, "t", new byte[0], 0, false, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Message.of(null, "x")).isInstanceOf(NullPointerException.class);
        Message m = new Message("s", "t", new byte[] {1}, 0, false, null);
        assertThat(m.properties()).isSameAs(MessageProperties.NONE);
        assertThat(m.withQos(2).qos()).isEqualTo(2);
        assertThat(m.withQos(2).topic()).isEqualTo("t");
        assertThat(m.toString()).contains("topic=t").contains("1 bytes");
    }
}
