package io.routemq.core.internal;

import io.routemq.core.Message;
import io.routemq.core.TopicPattern;
import io.routemq.core.sink.Envelope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Params}: an immutable map in pattern order that behaves as any other {@link Map}. */
class ParamsTest {

    @Test
    void keepsPatternOrderAndBehavesAsAMap() {
        Map<String, String> bound = TopicPattern.parse("fleet/{fleetId}/trucks/{truckId}/{rest...}").bind("fleet/f1/trucks/t9/gps/raw");
        assertThat(bound).isInstanceOf(Params.class);
        assertThat(new ArrayList<>(bound.keySet())).containsExactly("fleetId", "truckId", "rest");
        assertThat(new ArrayList<>(bound.values())).containsExactly("f1", "t9", "gps/raw");
        Map<String, String> same = new LinkedHashMap<>();
        same.put("fleetId", "f1");
        same.put("truckId", "t9");
        same.put("rest", "gps/raw");
        assertThat(bound).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(same).isEqualTo(bound);
        assertThat(bound.get("truckId")).isEqualTo("t9");
        assertThat(bound.get("nope")).isNull();
        assertThat(bound.containsKey("rest")).isTrue();
        assertThat(bound.containsKey(null)).isFalse();
        assertThat(bound.toString()).isEqualTo("{fleetId=f1, truckId=t9, rest=gps/raw}");
        List<String> walked = new ArrayList<>();
        bound.forEach((k, v) -> walked.add(k + "=" + v));
        assertThat(walked).containsExactly("fleetId=f1", "truckId=t9", "rest=gps/raw");
        assertThat(TopicPattern.parse("a/+/c").bind("a/b/c")).isEmpty();
    }

    @Test
    void isImmutable() {
        Map<String, String> p = Params.copyOf(Map.of("a", "1"));
        assertThatThrownBy(() -> p.put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(p::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.entrySet().iterator().next().setValue("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Params.copyOf(p)).isSameAs(p);
    }

    @Test
    void aNullNameOrValueIsRefusedByName() {
        Map<String, String> m = new HashMap<>();
        m.put("deviceId", null);
        assertThatThrownBy(() -> Params.copyOf(m)).isInstanceOf(NullPointerException.class).hasMessage("parameter 'deviceId' has no value");
        assertThatThrownBy(() -> Params.own(new String[] {"a"})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEnvelopeKeepsTheBoundParametersAndTheirOrderThroughTheQueuesEncoding() {
        Map<String, String> bound = TopicPattern.parse("s/{z}/{a}/{m}").bind("s/1/2/3");
        Envelope e = Envelope.of(Message.of("s/1/2/3", "x"), "r", bound, 42L);
        assertThat(e.params()).isSameAs(bound);
        Envelope back = Envelope.decode(e.encode());
        assertThat(back.params()).isEqualTo(bound);
        assertThat(new ArrayList<>(back.params().keySet())).containsExactly("z", "a", "m");
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("b", "2");
        plain.put("a", "1");
        Envelope fromPlain = Envelope.of(Message.of("t", "x"), "r", plain, 42L);
        plain.put("c", "3");
        assertThat(fromPlain.params()).as("a copy, not a view").containsOnlyKeys("b", "a");
        assertThat(new ArrayList<>(Envelope.decode(fromPlain.encode()).params().keySet())).containsExactly("b", "a");
    }
}
