package io.routemq.core;

import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Everything a middleware or handler knows about one message on one route: the topic and its parameters, the
 * payload (as bytes, text or JSON, parsed at most once), the MQTT properties, attributes passed along the chain,
 * and a way to publish and reply. A context is used by one thread at a time; it is not shared between messages.
 */
public final class Context {
    private final Message message;
    private final Match match;
    private final Publisher publisher;
    private final ObjectMapper json;
    private Map<String, Object> attributes;
    /** The dispatcher's sink appender, for {@link #appendTo}; null when the dispatcher has no sinks. */
    SinkAppender sinks;
    private String text;
    private JsonNode tree;
    private List<CompletableFuture<Void>> ackAfter;

    /**
     * A context for a message and its matched route. Transports and tests create contexts through the
     * {@link Dispatcher}; this constructor is public for testing kits.
     *
     * @param publisher the publisher for {@link #publish}; null when publishing is not available
     * @param json      the JSON mapper used by {@link #json(Class)} and {@link #publish(String, Object)}
     */
    public Context(Message message, Match match, Publisher publisher, ObjectMapper json) {
        this.message = Objects.requireNonNull(message, "message");
        this.match = Objects.requireNonNull(match, "match");
        this.publisher = publisher;
        this.json = Objects.requireNonNull(json, "json");
    }

    /** The received message. */
    public Message message() {
        return message;
    }

    /** The route this context runs on. */
    public Route route() {
        return match.route();
    }

    /** The topic the message was published to. */
    public String topic() {
        return message.topic();
    }

    /** The session it arrived on. */
    public String session() {
        return message.session();
    }

    /** All bound parameters, in pattern order. */
    public Map<String, String> params() {
        return match.params();
    }

    /**
     * A bound parameter.
     *
     * @throws IllegalArgumentException if the route has no such parameter
     */
    public String param(String name) {
        String v = match.params().get(name);
        if (v == null) {
            throw new IllegalArgumentException("route '" + route().name() + "' has no parameter '" + name
                    + "'; its parameters are " + route().pattern().paramNames());
        }
        return v;
    }

    /** A parameter converted by {@code parser}; a conversion failure names the parameter, its value and the topic. */
    public <T> T param(String name, Function<String, T> parser) {
        String v = param(name);
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("parameter '" + name + "' = '" + v + "' on topic '" + topic()
                    + "' cannot be converted: " + e.getMessage(), e);
        }
    }

    /** A parameter as an int. */
    public int paramInt(String name) {
        return param(name, Integer::parseInt);
    }

    /** A parameter as a long. */
    public long paramLong(String name) {
        return param(name, Long::parseLong);
    }

    /** A parameter as a double. */
    public double paramDouble(String name) {
        return param(name, Double::parseDouble);
    }

    /** A parameter as a UUID. */
    public UUID paramUuid(String name) {
        return param(name, UUID::fromString);
    }

    /** The payload bytes (not a copy; do not modify). */
    public byte[] payload() {
        return message.payload();
    }

    /** The payload decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String text() {
        String t = text;
        if (t == null) {
            t = new String(message.payload(), StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /**
     * The payload as a JSON tree, parsed on first use only.
     *
     * @throws PayloadException if the payload is not valid JSON (an empty payload included)
     */
    public JsonNode json() {
        JsonNode t = tree;
        if (t == null) {
            try {
                t = json.readTree(message.payload());
            } catch (JacksonException e) {
                throw new PayloadException("payload on topic '" + topic() + "' (route '" + route().name()
                        + "') is not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (t == null || t.isMissingNode()) {
                throw new PayloadException("payload on topic '" + topic() + "' (route '" + route().name()
                        + "') is not valid JSON: it is empty", null);
            }
            tree = t;
        }
        return t;
    }

    /** The payload as JSON bound to a type (from the tree parsed once). */
    public <T> T json(Class<T> type) {
        try {
            return json.treeToValue(json(), type);
        } catch (JacksonException e) {
            throw new PayloadException("payload on topic '" + topic() + "' (route '" + route().name()
                    + "') does not fit " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The payload as JSON bound to a generic type. */
    public <T> T json(TypeReference<T> type) {
        try {
            return json.convertValue(json(), type);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new PayloadException("payload on topic '" + topic() + "' (route '" + route().name()
                    + "') does not fit " + type.getType() + ": " + e.getMessage(), e);
        }
    }

    /** The QoS the message was received with. */
    public int qos() {
        return message.qos();
    }

    /** The retain flag. */
    public boolean retain() {
        return message.retain();
    }

    /** The MQTT 5 properties. */
    public MessageProperties properties() {
        return message.properties();
    }

    /** The first MQTT 5 user property with this name, or null. */
    public String userProperty(String name) {
        return message.properties().userProperty(name);
    }

    /** All MQTT 5 user properties, in order. */
    public List<UserProperty> userProperties() {
        return message.properties().userProperties();
    }

    /** The MQTT 5 content type, or null. */
    public String contentType() {
        return message.properties().contentType();
    }

    /** The MQTT 5 response topic, or null. */
    public String responseTopic() {
        return message.properties().responseTopic();
    }

    /** The MQTT 5 correlation data, or null. */
    public byte[] correlationData() {
        return message.properties().correlationData();
    }

    /** The MQTT 5 message expiry interval in seconds, or null. */
    public Long messageExpirySeconds() {
        return message.properties().messageExpirySeconds();
    }

    /** An attribute set earlier in the chain, or null. */
    @SuppressWarnings("unchecked")
    public <T> T attribute(String key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    /** Sets an attribute for the rest of the chain; returns this context. */
    public Context attribute(String key, Object value) {
        if (attributes == null) attributes = new HashMap<>();
        attributes.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    /** Publishes bytes on the session this message arrived on. */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos) {
        return publish(new Publication(session(), topic, payload, qos, false, MessageProperties.NONE));
    }

    /** Publishes UTF-8 text at QoS 1 on the session this message arrived on. */
    public CompletableFuture<Void> publish(String topic, String payload) {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1);
    }

    /** Publishes a value as JSON at QoS 1 on the session this message arrived on. */
    public CompletableFuture<Void> publish(String topic, Object value) {
        return publish(topic, toJson(value), 1);
    }

    /** Publishes a message; a null session in it means this message's session. */
    public CompletableFuture<Void> publish(Publication publication) {
        if (publisher == null) {
            throw new IllegalStateException("no Publisher is configured on the Dispatcher, so route '" + route().name()
                    + "' cannot publish to '" + publication.topic() + "'");
        }
        Publication p = publication.session() == null ? publication.onSession(session()) : publication;
        return publisher.publish(p);
    }

    /**
     * Replies to a request: publishes to the message's response topic with its correlation data, at the QoS the
     * request came with.
     *
     * @throws IllegalStateException if the message has no response topic
     */
    public CompletableFuture<Void> reply(byte[] payload) {
        String rt = responseTopic();
        if (rt == null) {
            throw new IllegalStateException("cannot reply to the message on topic '" + topic()
                    + "': it has no response topic (MQTT 5 requests set one)");
        }
        MessageProperties props = MessageProperties.builder().correlationData(correlationData()).build();
        return publish(new Publication(session(), rt, payload, qos(), false, props));
    }

    /** Replies with UTF-8 text. */
    public CompletableFuture<Void> reply(String payload) {
        return reply(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Replies with a value as JSON. */
    public CompletableFuture<Void> replyJson(Object value) {
        return reply(toJson(value));
    }

    /**
     * Appends an envelope to the durable queue of a named sink, outside the route's own {@code to}: the way a
     * middleware sends a message it refuses to a dead-letter sink. The caller decides what to wait for; a middleware
     * that waits for the returned future before returning makes the message's acknowledgement wait for it too.
     *
     * @param sink     a sink the dispatcher serves ({@link SinkAppender#sinks()})
     * @param envelope what to append, for example {@link Envelope#of(Context)} with extra user properties
     * @return completes when the append is durable; completes exceptionally when it failed
     * @throws IllegalStateException if the dispatcher has no sinks or no sink of that name
     */
    public CompletableFuture<Void> appendTo(String sink, Envelope envelope) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(envelope, "envelope");
        if (sinks == null || !sinks.sinks().contains(sink)) {
            throw new IllegalStateException("route '" + route().name() + "' cannot append to sink '" + sink + "': "
                    + (sinks == null ? "the dispatcher has no sinks" : "it is not configured (configured sinks: "
                    + String.join(", ", new java.util.TreeSet<>(sinks.sinks())) + ")"));
        }
        return sinks.append(List.of(sink), envelope);
    }

    private byte[] toJson(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Makes this message's acknowledgement wait for {@code stage}, as it waits for a forwarding route's durable sink
     * append: the message is acknowledged only once every such stage has completed, and a stage that fails makes it
     * {@link Outcome#REJECTED} (not acknowledged, so the broker delivers it again). A background job dispatched from a
     * handler uses it, so that the message is acknowledged only after the job is durably stored.
     *
     * @return this context
     */
    public Context ackAfter(CompletionStage<?> stage) {
        Objects.requireNonNull(stage, "stage");
        if (ackAfter == null) ackAfter = new java.util.ArrayList<>(2);
        ackAfter.add(stage.toCompletableFuture().thenApply(v -> null));
        return this;
    }

    /** The stages given to {@link #ackAfter}, or null when there are none. */
    List<CompletableFuture<Void>> ackAfterStages() {
        return ackAfter;
    }

    @Override
    public String toString() {
        return "Context[route=" + route().name() + ", topic=" + topic() + "]";
    }
}
