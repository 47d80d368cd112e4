package io.routemq.middleware;

import io.routemq.core.Context;

import java.util.Objects;

/**
 * Where a middleware reads a message's key from, written in a config as {@code param.<name>},
 * {@code userProperty.<name>}, {@code topic} or {@code session}. A PUBLISH does not carry its publisher's client id,
 * so "per client" limits use a topic parameter or a user property the client sets.
 *
 * @param kind where the key comes from
 * @param name the parameter or user property name; empty for {@code topic} and {@code session}
 */
public record KeySource(Kind kind, String name) {

    /** Where a key comes from. */
    public enum Kind {
        /** A parameter of the route's topic pattern. */
        PARAM,
        /** An MQTT 5 user property. */
        USER_PROPERTY,
        /** The whole topic. */
        TOPIC,
        /** The session (broker connection) the message arrived on. */
        SESSION
    }

    /** Validates. */
    public KeySource {
        Objects.requireNonNull(kind, "kind");
        name = name == null ? "" : name;
        if ((kind == Kind.PARAM || kind == Kind.USER_PROPERTY) && name.isEmpty()) {
            throw new IllegalArgumentException("key: " + (kind == Kind.PARAM ? "param" : "userProperty")
                    + " needs a name, as in " + (kind == Kind.PARAM ? "param.deviceId" : "userProperty.clientId"));
        }
    }

    /** @param name a parameter of the route's pattern @return the key from that parameter */
    public static KeySource param(String name) {
        return new KeySource(Kind.PARAM, name);
    }

    /** @param name an MQTT 5 user property @return the key from that user property */
    public static KeySource userProperty(String name) {
        return new KeySource(Kind.USER_PROPERTY, name);
    }

    /** @return the whole topic as the key */
    public static KeySource topic() {
        return new KeySource(Kind.TOPIC, "");
    }

    /** @return the session as the key (one limit per broker connection) */
    public static KeySource session() {
        return new KeySource(Kind.SESSION, "");
    }

    /**
     * Reads the form a config uses.
     *
     * @param text {@code param.<name>}, {@code userProperty.<name>}, {@code topic} or {@code session}
     * @return the key source
     * @throws IllegalArgumentException naming {@code key} when the text is none of these
     */
    public static KeySource parse(String text) {
        Objects.requireNonNull(text, "key");
        if (text.equals("topic")) return topic();
        if (text.equals("session")) return session();
        if (text.startsWith("param.")) return param(text.substring(6));
        if (text.startsWith("userProperty.")) return userProperty(text.substring(13));
        throw new IllegalArgumentException("key: '" + text + "' is not a key; write param.<name>, userProperty.<name>, topic or session");
    }

    /**
     * @param ctx the message on its route
     * @return the message's key, or null when the message has none (no such user property, or no such parameter)
     */
    public String of(Context ctx) {
        return switch (kind) {
            case PARAM -> ctx.params().get(name);
            case USER_PROPERTY -> ctx.userProperty(name);
            case TOPIC -> ctx.topic();
            case SESSION -> ctx.session();
        };
    }

    /** @return the form a config uses */
    @Override
    public String toString() {
        return switch (kind) {
            case PARAM -> "param." + name;
            case USER_PROPERTY -> "userProperty." + name;
            case TOPIC -> "topic";
            case SESSION -> "session";
        };
    }
}
