package io.routemq.core;

import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 properties of a PUBLISH that RouteMQ carries. Absent properties are {@code null} (or an empty list);
 * MQTT 3.1.1 messages have none.
 *
 * @param userProperties        user properties in the order received
 * @param contentType           the content type, or null
 * @param responseTopic         the response topic, or null
 * @param correlationData       the correlation data, or null
 * @param messageExpirySeconds  the message expiry interval in seconds, or null
 * @param payloadUtf8           true when the payload format indicator says UTF-8
 */
public record MessageProperties(List<UserProperty> userProperties, String contentType, String responseTopic,
                                byte[] correlationData, Long messageExpirySeconds, boolean payloadUtf8) {

    /** No properties at all. */
    public static final MessageProperties NONE = new MessageProperties(List.of(), null, null, null, null, false);

    /** Copies the user property list. */
    public MessageProperties {
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
    }

    /** The first user property with this name, or null. */
    public String userProperty(String name) {
        Objects.requireNonNull(name, "name");
        for (UserProperty p : userProperties) if (p.name().equals(name)) return p.value();
        return null;
    }

    /** A builder, starting empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MessageProperties}. */
    public static final class Builder {
        private final java.util.ArrayList<UserProperty> userProperties = new java.util.ArrayList<>();
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private Long messageExpirySeconds;
        private boolean payloadUtf8;

        private Builder() {
        }

        /** Adds a user property. */
        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        /** Sets the content type. */
        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        /** Sets the response topic. */
        public Builder responseTopic(String responseTopic) {
            this.responseTopic = responseTopic;
            return this;
        }

        /** Sets the correlation data. */
        public Builder correlationData(byte[] correlationData) {
            this.correlationData = correlationData;
            return this;
        }

        /** Sets the message expiry interval in seconds. */
        public Builder messageExpirySeconds(Long seconds) {
            this.messageExpirySeconds = seconds;
            return this;
        }

        /** Marks the payload as UTF-8 text (payload format indicator 1). */
        public Builder payloadUtf8(boolean utf8) {
            this.payloadUtf8 = utf8;
            return this;
        }

        /** Builds the properties. */
        public MessageProperties build() {
            return new MessageProperties(userProperties, contentType, responseTopic, correlationData, messageExpirySeconds, payloadUtf8);
        }
    }
}
