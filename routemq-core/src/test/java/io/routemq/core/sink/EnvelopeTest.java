package io.routemq.core.sink;

import io.routemq.core.Context;
import io.routemq.core.Match;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.UserProperty;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink envelope and its queue codec. */
class EnvelopeTest {

    private static void assertSame(Envelope a, Envelope b) {
        assertThat(b.route()).isEqualTo(a.route());
        assertThat(b.session()).isEqualTo(a.session());
        assertThat(b.topic()).isEqualTo(a.topic());
        assertThat(b.params()).containsExactlyEntriesOf(a.params());
        assertThat(b.payload()).isEqualTo(a.payload());
        assertThat(b.qos()).isEqualTo(a.qos());
        assertThat(b.retain()).isEqualTo(a.retain());
        assertThat(b.userProperties()).isEqualTo(a.userProperties());
        assertThat(b.contentType()).isEqualTo(a.contentType());
        assertThat(b.receivedAtMillis()).isEqualTo(a.receivedAtMillis());
    }

    @Test
    void roundTripKeepsEveryField() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("z", "last-but-first");
        params.put("a", "é/日本/😀");
        params.put("rest", "");
        Envelope e = new Envelope("fleet-gps", "plant", "fleet/7/trucks/é😀/gps", params, new byte[] {0, 1, (byte) 0xFF}, 2,
                true, List.of(new UserProperty("k", "v1"), new UserProperty("k", "v2"), new UserProperty("", "")),
                "application/json; charset=utf-8", 1_790_000_000_123L);
        Envelope back = Envelope.decode(e.encode());
        assertSame(e, back);
        assertThat(back.params().keySet()).containsExactly("z", "a", "rest");
    }

    @Test
    void roundTripOfAMinimalEnvelope() {
        Envelope e = new Envelope("r", "default", "t", null, new byte[0], 0, false, null, null, 0L);
        assertThat(e.params()).isEmpty();
        assertThat(e.userProperties()).isEmpty();
        Envelope back = Envelope.decode(e.encode());
        assertSame(e, back);
        assertThat(back.contentType()).isNull();
        assertThat(back.payload()).isEmpty();
    }

    @Test
    void longestValidPatternAsRouteNameStillEncodes() {
        // a route's default name is its pattern, which may be 65,535 UTF-8 bytes; supplementary characters take
        // 4 bytes in UTF-8 but 6 in Java's modified UTF-8
        String pattern = "😀".repeat(16_383) + "a/b";
        Envelope e = new Envelope(pattern, "s", "x", Map.of(), new byte[] {1}, 1, false, List.of(), null, 1L);
        assertSame(e, Envelope.decode(e.encode()));
    }

    @Test
    void envelopeOfAContext() {
        Router r = Router.create();
        r.on("fleet/{fleetId}/trucks/{truckId}/gps", ctx -> { }).name("gps");
        RouteTable t = r.build();
        Message m = new Message("plant", "fleet/7/trucks/42/gps", "{}".getBytes(StandardCharsets.UTF_8), 1, true,
                MessageProperties.builder().userProperty("token", "x").contentType("application/json").build());
        Match match = t.match(m.topic());
        long before = System.currentTimeMillis();
        Envelope e = Envelope.of(new Context(m, match, null, JsonMapper.builder().build()));
        assertThat(e.route()).isEqualTo("gps");
        assertThat(e.session()).isEqualTo("plant");
        assertThat(e.topic()).isEqualTo("fleet/7/trucks/42/gps");
        assertThat(e.params()).containsExactly(Map.entry("fleetId", "7"), Map.entry("truckId", "42"));
        assertThat(e.qos()).isEqualTo(1);
        assertThat(e.retain()).isTrue();
        assertThat(e.userProperties()).containsExactly(new UserProperty("token", "x"));
        assertThat(e.contentType()).isEqualTo("application/json");
        assertThat(e.receivedAtMillis()).isBetween(before, System.currentTimeMillis());
        assertThat(e.toString()).contains("gps").contains("2 bytes");
    }

    @Test
    void paramsAndPropertiesAreCopied() {
        Map<String, String> params = new LinkedHashMap<>(Map.of("a", "1"));
        Envelope e = new Envelope("r", "s", "t", params, new byte[0], 0, false, List.of(), null, 0);
        params.put("b", "2");
        assertThat(e.params()).containsOnlyKeys("a");
        assertThatThrownBy(() -> e.params().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new Envelope(null, "s", "t", null, new byte[0], 0, false, null, null, 0))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Envelope("r", "s", "t", null, null, 0, false, null, null, 0))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void decodeRefusesWhatIsNotAnEnvelope() {
        byte[] good = new Envelope("r", "s", "t", Map.of("p", "v"), "payload".getBytes(StandardCharsets.UTF_8), 0, false,
                List.of(), "text/plain", 5L).encode();
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> Envelope.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        for (int cut : new int[] {0, 1, 5, good.length / 2, good.length - 1}) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> Envelope.decode(truncated)).as("cut at %d", cut)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid envelope");
        }
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x7F);
        garbage[0] = 1;
        assertThatThrownBy(() -> Envelope.decode(garbage)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void randomEnvelopesRoundTrip(@ForAll @StringLength(max = 40) String route, @ForAll @StringLength(max = 40) String topic,
                                  @ForAll @StringLength(max = 20) String key, @ForAll @StringLength(max = 40) String value,
                                  @ForAll byte[] payload, @ForAll boolean retain, @ForAll long received) {
        Envelope e = new Envelope(route, "s-" + key, topic, Map.of(key, value), payload, (int) Math.floorMod(received, 3L),
                retain, List.of(new UserProperty(key, value)), value.isEmpty() ? null : value, received);
        assertSame(e, Envelope.decode(e.encode()));
    }

    @Test
    void deliveryResults() {
        assertThat(DeliveryResult.DELIVERED).isInstanceOf(DeliveryResult.Delivered.class);
        assertThat(DeliveryResult.retry("503")).isEqualTo(new DeliveryResult.Retry("503", null));
        assertThat(new DeliveryResult.Retry("429", Duration.ofSeconds(3)).retryAfter()).hasSeconds(3);
        assertThat(DeliveryResult.reject("400 bad request")).isEqualTo(new DeliveryResult.Reject("400 bad request"));
        assertThatThrownBy(() -> DeliveryResult.retry(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DeliveryResult.reject(null)).isInstanceOf(NullPointerException.class);
        String kind = switch (DeliveryResult.reject("x")) {
            case DeliveryResult.Delivered d -> "delivered";
            case DeliveryResult.Retry rt -> "retry";
            case DeliveryResult.Reject rj -> "reject";
        };
        assertThat(kind).isEqualTo("reject");
    }
}
