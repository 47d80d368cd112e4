package io.routemq.jobs.internal;

import io.routemq.jobs.FailedJob;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** A failed job as one JSON text, for the drivers that keep it as one value (local, redis). */
final class FailedJobCodec {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private FailedJobCodec() {
    }

    static String write(FailedJob f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", f.id());
        n.put("queue", f.queue());
        n.put("type", f.type());
        n.put("attempts", f.attempts());
        n.put("reason", f.reason());
        n.put("failedAt", f.failedAt().toEpochMilli());
        n.put("raw", f.raw());
        return JSON.writeValueAsString(n);
    }

    static FailedJob read(String text) {
        JsonNode n = JSON.readTree(text);
        return new FailedJob(n.path("id").asString(), n.path("queue").asString(), n.path("type").asString(),
                n.path("attempts").asInt(), n.path("reason").asString(), Instant.ofEpochMilli(n.path("failedAt").asLong()),
                n.path("raw").asString());
    }

    static String reason(String reason) {
        return reason == null ? "(no reason)" : reason.length() > 4000 ? reason.substring(0, 4000) + "..." : reason;
    }
}
