package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Each body format, byte for byte, through a real loopback receiver. */
class BodyFormatTest {

    private static Receiver receiver;

    @BeforeAll
    static void start() {
        receiver = Receiver.http();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void clear() {
        receiver.requests.clear();
    }

    private static Receiver.Request send(HttpSinkConfig.Builder b, Envelope e) throws Exception {
        try (HttpSink sink = new HttpSink(b.url(receiver.uri("/in")).build())) {
            assertThat(sink.deliver(List.of(e))).containsExactly(DeliveryResult.DELIVERED);
        }
        assertThat(receiver.requests).hasSize(1);
        Receiver.Request r = receiver.requests.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/in");
        return r;
    }

    private static final String TOPIC = "plant/l1/machine/m-7/telemetry";

    @Test
    void rawSendsThePayloadBytesWithTheMqttContentType() throws Exception {
        byte[] payload = {0, 1, 2, (byte) 0xff, 'a'};
        Receiver.Request r = send(HttpSinkConfig.builder("t").body(BodyFormat.RAW), Envelopes.withContentType(TOPIC, payload, "application/cbor"));
        assertThat(r.body()).isEqualTo(payload);
        assertThat(r.header("Content-Type")).isEqualTo("application/cbor");
    }

    @Test
    void rawWithoutMqttContentTypeUsesTheConfiguredHeaderElseOctetStream() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("t").body(BodyFormat.RAW), Envelopes.of(TOPIC, "a,b"));
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        receiver.requests.clear();
        r = send(HttpSinkConfig.builder("t").body(BodyFormat.RAW).header("Content-Type", "text/csv"), Envelopes.of(TOPIC, "a,b"));
        assertThat(r.header("Content-Type")).isEqualTo("text/csv");
        assertThat(r.bodyText()).isEqualTo("a,b");
    }

    @Test
    void rawDeliversTenMegabytesIntact() throws Exception {
        byte[] payload = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(payload);
        Receiver.Request r = send(HttpSinkConfig.builder("t").body(BodyFormat.RAW), Envelopes.of(TOPIC, payload));
        assertThat(r.body().length).isEqualTo(payload.length);
        assertThat(r.body()).isEqualTo(payload);
    }

    @Test
    void envelopeEmbedsAJsonPayloadVerbatim() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("t").body(BodyFormat.ENVELOPE), Envelopes.of(TOPIC, " {\"temp\": 21.5}\n"));
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyText()).isEqualTo("{\"route\":\"telemetry\",\"session\":\"plant\",\"topic\":\"plant/l1/machine/m-7/telemetry\","
                + "\"params\":{\"line\":\"l1\",\"id\":\"m-7\"},\"qos\":1,\"retain\":false,\"timestamp\":1700000000123,\"contentType\":null,"
                + "\"userProperties\":[{\"name\":\"trace\",\"value\":\"abc\"},{\"name\":\"trace\",\"value\":\"def\"}],"
                + "\"payloadEncoding\":\"json\",\"payload\":{\"temp\": 21.5}}");
        JsonMapper.builder().build().readTree(r.body()); // valid JSON
    }

    @Test
    void envelopeCarriesNonUtf8PayloadsAsBase64() throws Exception {
        byte[] payload = {(byte) 0xff, (byte) 0xfe, 0, 'A'};
        Receiver.Request r = send(HttpSinkConfig.builder("t"), Envelopes.withContentType(TOPIC, payload, "application/x-bin"));
        assertThat(r.bodyText()).isEqualTo("{\"route\":\"telemetry\",\"session\":\"plant\",\"topic\":\"plant/l1/machine/m-7/telemetry\","
                + "\"params\":{\"line\":\"l1\",\"id\":\"m-7\"},\"qos\":1,\"retain\":false,\"timestamp\":1700000000123,\"contentType\":\"application/x-bin\","
                + "\"userProperties\":[{\"name\":\"trace\",\"value\":\"abc\"},{\"name\":\"trace\",\"value\":\"def\"}],"
                + "\"payloadEncoding\":\"base64\",\"payload\":\"//4AQQ==\"}");
    }

    @Test
    void envelopeCarriesTextThatIsNotJsonAsBase64() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("t"), Envelopes.of(TOPIC, "hello"));
        assertThat(r.bodyText()).endsWith("\"payloadEncoding\":\"base64\",\"payload\":\"aGVsbG8=\"}");
        receiver.requests.clear();
        r = send(HttpSinkConfig.builder("t"), Envelopes.of(TOPIC, "{\"a\":1} trailing"));
        assertThat(r.bodyText()).contains("\"payloadEncoding\":\"base64\"");
        receiver.requests.clear();
        r = send(HttpSinkConfig.builder("t"), Envelopes.of(TOPIC, "42"));
        assertThat(r.bodyText()).endsWith("\"payloadEncoding\":\"json\",\"payload\":42}");
    }

    @Test
    void goFormatTakesStringMembersAsTheyAre() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("t").body(BodyFormat.GO),
                Envelopes.of(TOPIC, "{\"header\":\"2024-10-06 10:57:30 +0800 CST\",\"body\":\"b1\"}"));
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyText()).isEqualTo("{\"body\":\"b1\",\"header\":\"2024-10-06 10:57:30 +0800 CST\"}");
    }

    @Test
    void goFormatReencodesOtherMembersLikeGoJsonMarshal() throws Exception {
        String payload = """
                {"header": {"z": 1, "a": [true, null, 2.50, 1e21, 0.0000001], "m": "<x>&"}, "body": "line\\nbreak", "extra": 1}""";
        Receiver.Request r = send(HttpSinkConfig.builder("t").body(BodyFormat.GO), Envelopes.of(TOPIC, payload));
        assertThat(r.bodyText()).isEqualTo("""
                {"body":"line\\nbreak","header":"{\\"a\\":[true,null,2.5,1e+21,1e-7],\\"m\\":\\"\\\\u003cx\\\\u003e\\\\u0026\\",\\"z\\":1}"}""");
    }

    @Test
    void goFormatSendsEmptyStringsForMissingMembersOrNonJsonPayloads() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("t").body(BodyFormat.GO), Envelopes.of(TOPIC, "not json"));
        assertThat(r.bodyText()).isEqualTo("{\"body\":\"\",\"header\":\"\"}");
        receiver.requests.clear();
        r = send(HttpSinkConfig.builder("t").body(BodyFormat.GO), Envelopes.of(TOPIC, "{\"body\":{\"v\":1}}"));
        assertThat(r.bodyText()).isEqualTo("{\"body\":\"{\\\"v\\\":1}\",\"header\":\"\"}");
    }

    @Test
    void textTemplateInsertsValuesAsTheyAreAndMissingOnesAsNothing() throws Exception {
        String payload = "{\"sensor\":{\"temp\":21.5,\"name\":\"A\\\"B\"}}";
        Receiver.Request r = send(HttpSinkConfig.builder("t")
                        .template("t=${topic} id=${param.id} temp=${payload.sensor.temp} name=${payload.sensor.name} missing=[${payload.nope}] dflt=${param.zzz:-none} q=${qos}"),
                Envelopes.of(TOPIC, payload));
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.bodyText()).isEqualTo("t=plant/l1/machine/m-7/telemetry id=m-7 temp=21.5 name=A\"B missing=[] dflt=none q=1");
    }

    @Test
    void jsonTemplateEscapesTextAndInsertsJsonValues() throws Exception {
        String payload = "{\"sensor\":{\"temp\":21.5,\"name\":\"A\\\"B\"},\"list\":[1,2]}";
        String template = """
                {"topic":"${topic}","name":"${payload.sensor.name}","temp":${payload.sensor.temp},"arr":${payload.list},\
                "first":${payload.list.0},"up":"${userProperty.trace}","missing":"${payload.nope}","n":${payload.nope:-null},\
                "ts":${timestamp},"retain":${retain},"all":${payload}}""";
        Receiver.Request r = send(HttpSinkConfig.builder("t").template(template), Envelopes.of(TOPIC, payload));
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyText()).isEqualTo("{\"topic\":\"plant/l1/machine/m-7/telemetry\",\"name\":\"A\\\"B\",\"temp\":21.5,\"arr\":[1,2],"
                + "\"first\":1,\"up\":\"abc\",\"missing\":\"\",\"n\":null,\"ts\":1700000000123,\"retain\":false,\"all\":" + payload + "}");
        JsonMapper.builder().build().readTree(r.body());
    }

    @Test
    void templateWithANonJsonPayloadRendersPathsAsMissing() throws Exception {
        Receiver.Request r = send(HttpSinkConfig.builder("t").template("[${payload.a:-x}|${payload}]"),
                Envelopes.of(TOPIC, "plain \"text\"".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.bodyText()).isEqualTo("[x|plain \\\"text\\\"]");
    }
}
