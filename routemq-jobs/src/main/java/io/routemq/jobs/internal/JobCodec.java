package io.routemq.jobs.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import io.routemq.jobs.Job;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stored form of a job: {@code {"id","queue","type","version","dispatchedAt","data"}}, where {@code data} is
 * the job's own JSON. Ids sort by dispatch time: 12 hex digits of milliseconds, then a per-process random part and
 * a counter.
 */
public final class JobCodec {
    private static final String PROCESS = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    private final ObjectMapper json;
    private final AtomicLong counter = new AtomicLong();

    /** A codec over this mapper. */
    public JobCodec(ObjectMapper json) {
        this.json = json;
    }

    /** The default mapper: records by their components, classes by their non-transient fields. */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .changeDefaultVisibility(v -> v.withVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY))
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /** The mapper. */
    public ObjectMapper mapper() {
        return json;
    }

    /** A new job id. */
    public String newId() {
        return String.format("%012x-%s-%06x", System.currentTimeMillis(), PROCESS, counter.incrementAndGet() & 0xFFFFFF);
    }

    /** The stored form of a job. */
    public String encode(String id, String queue, Job job) {
        ObjectNode n = json.createObjectNode();
        n.put("id", id);
        n.put("queue", queue);
        n.put("type", job.getClass().getName());
        n.put("version", job.options().version());
        n.put("dispatchedAt", System.currentTimeMillis());
        try {
            n.set("data", json.valueToTree(job));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("job " + job.getClass().getSimpleName() + " cannot be written as JSON: "
                    + e.getOriginalMessage() + " (a job's state is its record components or non-transient fields)", e);
        }
        return json.writeValueAsString(n);
    }

    /** A stored job read back: its fields, not yet its {@link Job}. */
    public record Stored(String type, int version, JsonNode data) {
    }

    /**
     * Reads the stored form.
     *
     * @throws IllegalArgumentException with the reason when it is not a stored job
     */
    public Stored read(String raw) {
        JsonNode n;
        try {
            n = json.readTree(raw);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the stored job is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject() || !n.path("type").isString() || !n.path("data").isObject()) {
            throw new IllegalArgumentException("the stored job has no type or data");
        }
        return new Stored(n.path("type").asString(), n.path("version").asInt(1), n.path("data"));
    }

    /** The type name of a stored job, or {@code ?} when it cannot be read. */
    public String typeOf(String raw) {
        try {
            return read(raw).type();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    /** The queue written in a stored job, or null. */
    public String queueOf(String raw) {
        try {
            JsonNode n = json.readTree(raw);
            return n != null && n.path("queue").isString() ? n.path("queue").asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
