package io.routemq.sink.http;

import io.routemq.core.UserProperty;
import io.routemq.core.sink.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Envelopes for tests. */
final class Envelopes {

    static final long TS = 1_700_000_000_123L;

    private Envelopes() {
    }

    static Envelope of(String topic, byte[] payload) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("line", "l1");
        params.put("id", "m-7");
        return new Envelope("telemetry", "plant", topic, params, payload, 1, false,
                List.of(new UserProperty("trace", "abc"), new UserProperty("trace", "def")), null, TS);
    }

    static Envelope of(String topic, String payload) {
        return of(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    static Envelope withContentType(String topic, byte[] payload, String contentType) {
        Envelope e = of(topic, payload);
        return new Envelope(e.route(), e.session(), e.topic(), e.params(), e.payload(), e.qos(), e.retain(), e.userProperties(), contentType, e.receivedAtMillis());
    }

    static List<Envelope> many(int n) {
        List<Envelope> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(of("plant/l1/machine/" + i + "/telemetry", "{\"n\":" + i + "}"));
        return out;
    }
}
