package io.routemq.core.sink;

import io.routemq.core.Context;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import io.routemq.core.UserProperty;
import io.routemq.core.internal.Params;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message on its way to a sink: what the gateway stores in the durable queue and hands to a {@link Sink}.
 * It carries everything a body format may need (topic, route parameters, payload, QoS, retain, MQTT 5 user
 * properties and content type, when it was received).
 *
 * @param route            the route name that accepted it
 * @param session          the session (broker) it arrived on
 * @param topic            the topic
 * @param params           the route parameters bound from the topic
 * @param payload          the payload bytes
 * @param qos              the QoS it was received with
 * @param retain           the retain flag
 * @param userProperties   MQTT 5 user properties
 * @param contentType      MQTT 5 content type, or null
 * @param receivedAtMillis when it was received, epoch milliseconds
 */
public record Envelope(String route, String session, String topic, Map<String, String> params, byte[] payload, int qos,
                       boolean retain, List<UserProperty> userProperties, String contentType, long receivedAtMillis) {

    private static final byte VERSION = 1;

    /** Validates and copies. */
    public Envelope {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        params = params == null ? Params.empty() : Params.copyOf(params); // immutable: a Params is kept as it is
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    /** The envelope of the message a context holds, stamped with the current time. */
    public static Envelope of(Context ctx) {
        return of(ctx.message(), ctx.route().name(), ctx.params(), System.currentTimeMillis());
    }

    /** The envelope of a message accepted by a route, with the route's bound parameters. */
    public static Envelope of(Message message, String route, Map<String, String> params, long receivedAtMillis) {
        MessageProperties props = message.properties();
        return new Envelope(route, message.session(), message.topic(), params, message.payload(), message.qos(),
                message.retain(), props.userProperties(), props.contentType(), receivedAtMillis);
    }

    /**
     * A compact binary form for the durable queue. Written into one array of the exact size (big-endian, as
     * {@link java.io.DataOutputStream} writes): every message of a gateway route is encoded once, and a growing
     * stream copied it two or three times.
     */
    public byte[] encode() {
        byte[] r = utf8(route);
        byte[] s = utf8(session);
        byte[] t = utf8(topic);
        Params ps = (Params) params;
        int np = ps.size();
        byte[][] kv = new byte[2 * (np + userProperties.size())][];
        int i = 0;
        for (int j = 0; j < np; j++) {
            kv[i++] = utf8(ps.name(j));
            kv[i++] = utf8(ps.value(j));
        }
        for (UserProperty p : userProperties) {
            kv[i++] = utf8(p.name());
            kv[i++] = utf8(p.value());
        }
        byte[] ct = contentType != null ? utf8(contentType) : null;
        long size = 1 + 12L + r.length + s.length + t.length + 2 + 1 + 1 + 8 + 1 + (ct != null ? 4L + ct.length : 0) + 2 + 4
                + payload.length;
        for (byte[] b : kv) size += 4 + b.length;
        if (size > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("envelope of " + size + " bytes is too large to queue");
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put(VERSION);
        // lengths are ints, not writeUTF's 65,535 bytes of modified UTF-8: a route name (by default its pattern, up to
        // 65,535 bytes of UTF-8) can need about 98,000
        put(out, r);
        put(out, s);
        put(out, t);
        out.putShort((short) params.size());
        int n = 2 * params.size();
        for (i = 0; i < n; i++) put(out, kv[i]);
        out.put((byte) qos);
        out.put((byte) (retain ? 1 : 0));
        out.putLong(receivedAtMillis);
        out.put((byte) (ct != null ? 1 : 0));
        if (ct != null) put(out, ct);
        out.putShort((short) userProperties.size());
        for (i = n; i < kv.length; i++) put(out, kv[i]);
        out.putInt(payload.length);
        out.put(payload);
        return out.array();
    }

    /**
     * Reads an envelope written by {@link #encode()}.
     *
     * @throws IllegalArgumentException if the bytes are not an envelope of a known version
     */
    public static Envelope decode(byte[] data) {
        if (data.length > 0 && data[0] != VERSION) {
            throw new IllegalArgumentException("queued record has envelope version " + data[0] + "; this RouteMQ reads version " + VERSION);
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            in.get();
            String route = readString(in);
            String session = readString(in);
            String topic = readString(in);
            int n = Short.toUnsignedInt(in.getShort());
            String[] kv = new String[2 * n];
            for (int i = 0; i < kv.length; i++) kv[i] = readString(in);
            Params params = Params.own(kv);
            int qos = in.get();
            boolean retain = in.get() != 0;
            long received = in.getLong();
            String contentType = in.get() != 0 ? readString(in) : null;
            int np = Short.toUnsignedInt(in.getShort());
            List<UserProperty> props = new ArrayList<>(np);
            for (int i = 0; i < np; i++) props.add(new UserProperty(readString(in), readString(in)));
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) throw new IllegalArgumentException("payload length " + len + " is out of range");
            byte[] payload = new byte[len];
            in.get(payload);
            return new Envelope(route, session, topic, params, payload, qos, retain, props, contentType, received);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("queued record is not a valid envelope (" + data.length + " bytes): " + e, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(ByteBuffer out, byte[] b) {
        out.putInt(b.length);
        out.put(b);
    }

    private static String readString(ByteBuffer in) {
        int len = in.getInt();
        if (len < 0 || len > in.remaining()) throw new IllegalArgumentException("string length " + len + " is out of range");
        String s = new String(in.array(), in.arrayOffset() + in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }

    @Override
    public String toString() {
        return "Envelope[route=" + route + ", topic=" + topic + ", " + payload.length + " bytes]";
    }
}
