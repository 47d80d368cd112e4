package io.routemq.core.sink;

import io.routemq.core.Context;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import io.routemq.core.UserProperty;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
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

    /** A compact binary form for the durable queue. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + topic.length() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            // writeUTF is not used: it is limited to 65,535 bytes of modified UTF-8, where a route name (by default
            // its pattern, up to 65,535 bytes of UTF-8) can need about 98,000
            writeString(out, route);
            writeString(out, session);
            writeString(out, topic);
            out.writeShort(params.size());
            for (Map.Entry<String, String> e : params.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeByte(qos);
            out.writeBoolean(retain);
            out.writeLong(receivedAtMillis);
            out.writeBoolean(contentType != null);
            if (contentType != null) writeString(out, contentType);
            out.writeShort(userProperties.size());
            for (UserProperty p : userProperties) {
                writeString(out, p.name());
                writeString(out, p.value());
            }
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads an envelope written by {@link #encode()}.
     *
     * @throws IllegalArgumentException if the bytes are not an envelope of a known version
     */
    public static Envelope decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("queued record has envelope version " + version + "; this RouteMQ reads version " + VERSION);
            }
            String route = readString(in);
            String session = readString(in);
            String topic = readString(in);
            int n = in.readUnsignedShort();
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) params.put(readString(in), readString(in));
            int qos = in.readByte();
            boolean retain = in.readBoolean();
            long received = in.readLong();
            String contentType = in.readBoolean() ? readString(in) : null;
            int np = in.readUnsignedShort();
            List<UserProperty> props = new ArrayList<>(np);
            for (int i = 0; i < np; i++) props.add(new UserProperty(readString(in), readString(in)));
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new Envelope(route, session, topic, params, payload, qos, retain, props, contentType, received);
        } catch (IOException e) {
            throw new IllegalArgumentException("queued record is not a valid envelope (" + data.length + " bytes): " + e, e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > in.available()) throw new IOException("string length " + len + " is out of range");
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Envelope[route=" + route + ", topic=" + topic + ", " + payload.length + " bytes]";
    }
}
