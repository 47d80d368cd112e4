package io.routemq.sink.http.internal;

import io.routemq.core.UserProperty;
import io.routemq.core.sink.Envelope;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled body template. Placeholders: {@code ${topic}}, {@code ${route}}, {@code ${session}}, {@code ${qos}},
 * {@code ${retain}}, {@code ${timestamp}}, {@code ${contentType}}, {@code ${param.NAME}}, {@code ${userProperty.NAME}}
 * (first with that name), {@code ${payload}} (the whole payload as UTF-8 text) and {@code ${payload.a.b.0.c}} (a path
 * into the JSON payload; numeric segments index arrays). {@code ${x:-default}} gives a literal for a missing value;
 * otherwise a missing value (absent, JSON null, or payload not JSON) renders as nothing.
 * <p>A template whose first non-blank character is <code>{</code> or {@code [} is a JSON template: text values are
 * JSON-escaped (the template supplies the quotes), while numbers, booleans, objects and arrays from the payload,
 * {@code qos}, {@code retain} and {@code timestamp} render as JSON; defaults are inserted as written. Other templates
 * insert text as it is.
 *
 * <p>Public only because {@code io.routemq.sink.http.HttpSinkConfig}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class Template {

    private enum Kind { TOPIC, ROUTE, SESSION, QOS, RETAIN, TIMESTAMP, CONTENT_TYPE, PARAM, USER_PROPERTY, PAYLOAD, PAYLOAD_PATH }

    private sealed interface Part {
    }

    private record Literal(String text) implements Part {
    }

    private record Placeholder(Kind kind, String name, String[] path, String fallback) implements Part {
    }

    private final List<Part> parts;
    private final boolean json;
    private final boolean needsTree;

    private Template(List<Part> parts, boolean json) {
        this.parts = parts;
        this.json = json;
        this.needsTree = parts.stream().anyMatch(p -> p instanceof Placeholder ph && ph.kind == Kind.PAYLOAD_PATH);
    }

    /**
     * Compiles a template.
     *
     * @param where the key path for error messages
     * @throws IllegalArgumentException for an unclosed or unknown placeholder, naming its position
     */
    public static Template compile(String text, String where) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        StringBuilder lit = new StringBuilder();
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                lit.append(text, i, text.length());
                break;
            }
            lit.append(text, i, start);
            int end = text.indexOf('}', start + 2);
            if (end < 0) {
                throw new IllegalArgumentException(where + ": '${' at position " + start + " is not closed with '}'");
            }
            if (!lit.isEmpty()) {
                parts.add(new Literal(lit.toString()));
                lit.setLength(0);
            }
            parts.add(placeholder(text.substring(start + 2, end), where, start));
            i = end + 1;
        }
        if (!lit.isEmpty()) parts.add(new Literal(lit.toString()));
        String lead = text.stripLeading();
        boolean json = lead.startsWith("{") || lead.startsWith("[");
        return new Template(List.copyOf(parts), json);
    }

    private static Placeholder placeholder(String expr, String where, int pos) {
        String fallback = null;
        int d = expr.indexOf(":-");
        if (d >= 0) {
            fallback = expr.substring(d + 2);
            expr = expr.substring(0, d);
        }
        expr = expr.strip();
        switch (expr) {
            case "topic" -> { return new Placeholder(Kind.TOPIC, null, null, fallback); }
            case "route" -> { return new Placeholder(Kind.ROUTE, null, null, fallback); }
            case "session" -> { return new Placeholder(Kind.SESSION, null, null, fallback); }
            case "qos" -> { return new Placeholder(Kind.QOS, null, null, fallback); }
            case "retain" -> { return new Placeholder(Kind.RETAIN, null, null, fallback); }
            case "timestamp" -> { return new Placeholder(Kind.TIMESTAMP, null, null, fallback); }
            case "contentType" -> { return new Placeholder(Kind.CONTENT_TYPE, null, null, fallback); }
            case "payload" -> { return new Placeholder(Kind.PAYLOAD, null, null, fallback); }
            default -> {
            }
        }
        if (expr.startsWith("param.") && expr.length() > 6) return new Placeholder(Kind.PARAM, expr.substring(6), null, fallback);
        if (expr.startsWith("userProperty.") && expr.length() > 13) {
            return new Placeholder(Kind.USER_PROPERTY, expr.substring(13), null, fallback);
        }
        if (expr.startsWith("payload.") && expr.length() > 8) {
            String[] path = expr.substring(8).split("\\.", -1);
            for (String s : path) {
                if (s.isEmpty()) throw new IllegalArgumentException(where + ": '${" + expr + "}' at position " + pos + " has an empty path segment");
            }
            return new Placeholder(Kind.PAYLOAD_PATH, null, path, fallback);
        }
        throw new IllegalArgumentException(where + ": unknown placeholder '${" + expr + "}' at position " + pos
                + "; use topic, route, session, qos, retain, timestamp, contentType, param.NAME, userProperty.NAME, payload or payload.PATH");
    }

    /** Whether this is a JSON template (values are JSON-escaped). */
    public boolean json() {
        return json;
    }

    /** The default Content-Type of the rendered body. */
    public String contentType() {
        return json ? "application/json" : "text/plain; charset=utf-8";
    }

    /** Renders the template for one envelope (UTF-8). */
    public byte[] render(Envelope e) {
        JsonNode tree = needsTree ? Json.tree(e.payload()) : null;
        StringBuilder sb = new StringBuilder(256);
        for (Part part : parts) {
            if (part instanceof Literal l) {
                sb.append(l.text());
                continue;
            }
            Placeholder p = (Placeholder) part;
            switch (p.kind) {
                case TOPIC -> text(sb, e.topic(), p);
                case ROUTE -> text(sb, e.route(), p);
                case SESSION -> text(sb, e.session(), p);
                case CONTENT_TYPE -> text(sb, e.contentType(), p);
                case PARAM -> text(sb, e.params().get(p.name), p);
                case USER_PROPERTY -> text(sb, userProperty(e, p.name), p);
                case QOS -> sb.append(e.qos());
                case RETAIN -> sb.append(e.retain());
                case TIMESTAMP -> sb.append(e.receivedAtMillis());
                case PAYLOAD -> payload(sb, e.payload(), p);
                case PAYLOAD_PATH -> node(sb, at(tree, p.path), p);
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void payload(StringBuilder sb, byte[] payload, Placeholder p) {
        if (payload.length == 0) {
            missing(sb, p);
            return;
        }
        if (json) {
            String j = Json.jsonText(payload);
            if (j != null && !j.startsWith("\"")) {
                sb.append(j);
                return;
            }
            if (j != null) {
                node(sb, Json.tree(payload), p);
                return;
            }
        }
        text(sb, new String(payload, StandardCharsets.UTF_8), p);
    }

    private static String userProperty(Envelope e, String name) {
        for (UserProperty up : e.userProperties()) {
            if (up.name().equals(name)) return up.value();
        }
        return null;
    }

    private static JsonNode at(JsonNode node, String[] path) {
        for (String seg : path) {
            if (node == null) return null;
            if (node.isObject()) {
                node = node.get(seg);
            } else if (node.isArray() && seg.chars().allMatch(Character::isDigit) && seg.length() < 10) {
                node = node.get(Integer.parseInt(seg));
            } else {
                return null;
            }
        }
        return node;
    }

    private void node(StringBuilder sb, JsonNode n, Placeholder p) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            missing(sb, p);
        } else if (n.isString()) {
            text(sb, n.stringValue(), p);
        } else {
            sb.append(Json.MAPPER.writeValueAsString(n));
        }
    }

    private void text(StringBuilder sb, String value, Placeholder p) {
        if (value == null) {
            missing(sb, p);
        } else if (json) {
            JsonStringEncoder.getInstance().quoteAsString(value, sb);
        } else {
            sb.append(value);
        }
    }

    private static void missing(StringBuilder sb, Placeholder p) {
        if (p.fallback != null) sb.append(p.fallback);
    }
}
