package io.routemq.sink.http.internal;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body the Go EMQX middleware ("mqtt_pro") posts, reproduced byte for byte. That program parses the MQTT payload
 * as a JSON object ({@code utils.ParserPayLoadDataToMap}), takes its {@code header} and {@code body} members
 * ({@code ParserPayLoadDataToString}): a JSON string member as its text, any other member re-encoded by Go's
 * {@code json.Marshal}, a missing member as "". It then posts {@code map[string]string{"header":h,"body":b}} through
 * {@code json.Marshal} ({@code requests.Post}, Content-Type application/json). Go's encoder sorts map keys and escapes
 * {@code < > &} and U+2028/U+2029, so the body is always {@code {"body":"...","header":"..."}} with no newline.
 * <p>Differences from Go, both where Go itself misbehaves: a JSON {@code null} member becomes "null" (Go panics), and a
 * number beyond the float64 range is written as Go would write the nearest finite value instead of failing.
 */
final class GoFormat {

    private static final Comparator<String> GO_KEY_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private GoFormat() {
    }

    /** The request body for one payload. */
    public static byte[] body(byte[] payload) {
        String header = "";
        String body = "";
        Map<String, Object> top = parseObject(payload);
        if (top != null) {
            header = member(top.get("header"));
            body = member(top.get("body"));
        }
        StringBuilder sb = new StringBuilder(header.length() + body.length() + 24);
        sb.append("{\"body\":");
        goString(sb, body);
        sb.append(",\"header\":");
        goString(sb, header);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String member(Object v) {
        if (v == null) return "";
        if (v instanceof String s) return s;
        StringBuilder sb = new StringBuilder();
        marshal(sb, v);
        return sb.toString();
    }

    /** Decodes like Go: invalid UTF-8 becomes U+FFFD; the payload must be a JSON object (null gives an empty map). */
    private static Map<String, Object> parseObject(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        try (JsonParser p = Json.FACTORY.createParser(ObjectReadContext.empty(), text)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) return null;
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) read(p, t);
            if (p.nextToken() != null) return null;
            return m;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static Object read(JsonParser p, JsonToken t) {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new TreeMap<>(GO_KEY_ORDER);
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String k = p.currentName();
                    m.put(k, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) l.add(read(p, n));
                return l;
            }
            case VALUE_STRING -> {
                return p.getString();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return Double.parseDouble(p.getString());
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return JsonNull.INSTANCE;
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    private enum JsonNull { INSTANCE }

    private static void marshal(StringBuilder sb, Object v) {
        if (v instanceof String s) {
            goString(sb, s);
        } else if (v instanceof Double d) {
            sb.append(goFloat(d));
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof JsonNull) {
            sb.append("null");
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                marshal(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                goString(sb, (String) e.getKey());
                sb.append(':');
                marshal(sb, e.getValue());
            }
            sb.append('}');
        } else {
            throw new IllegalStateException("unexpected value " + v.getClass());
        }
    }

    /** Go's encoding/json float64 formatting (strconv 'f' or 'e' with shortest digits, e-07 cleaned to e-7). */
    static String goFloat(double d) {
        if (Double.isInfinite(d)) d = Math.copySign(Double.MAX_VALUE, d);
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs >= 1e-6 && abs < 1e21) return bd.toPlainString();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        StringBuilder sb = new StringBuilder();
        if (d < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10 && exp > 0) sb.append('0');
        sb.append(a);
        return sb.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Go's encoding/json string encoding with HTML escaping (Go 1.22+: \b and \f short forms). */
    static void goString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(sb, c);
                default -> {
                    if (c < 0x20) {
                        unicode(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append('\uFFFD'); // Go decodes a lone surrogate escape to U+FFFD
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicode(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }
}
