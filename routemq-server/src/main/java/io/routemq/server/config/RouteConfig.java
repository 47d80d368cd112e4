package io.routemq.server.config;

import io.routemq.core.TopicPattern;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One gateway route ({@code routes[i]}): which messages, from which broker, go to which sinks.
 *
 * @param name         the route's name in logs and metrics (default: the topic)
 * @param topic        the topic pattern ({@code {name}}, {@code +}, {@code #}, {@code {name...}})
 * @param broker       the broker session it subscribes on; {@link GatewayConfig#EMBEDDED} for the embedded broker
 * @param qos          the subscription QoS (default 1)
 * @param shared       the shared subscription, or null when not shared
 * @param exclude      topic patterns whose messages the route skips
 * @param excludeRegex Java regular expressions; a topic is skipped when one of them is found anywhere in it
 * @param filters      conditions a message must meet, all of them, to be forwarded
 * @param middleware   shipped middleware, in the order written ({@code middleware:}), run after the filters
 * @param to           the sink names, at least one
 * @param fanout       receive every matching message even when a more specific route matches too (default false)
 * @param enabled      whether the route is active (default true); a disabled route subscribes to nothing
 */
public record RouteConfig(String name, String topic, String broker, int qos, Shared shared, List<String> exclude,
                          List<String> excludeRegex, List<Filter> filters, List<MiddlewareConfig> middleware,
                          List<String> to, boolean fanout, boolean enabled) {

    /** Copies the lists. */
    public RouteConfig {
        exclude = List.copyOf(exclude);
        excludeRegex = List.copyOf(excludeRegex);
        filters = List.copyOf(filters);
        middleware = List.copyOf(middleware);
        to = List.copyOf(to);
    }

    /** A route without {@code middleware:} (the Go middleware format has none). */
    public RouteConfig(String name, String topic, String broker, int qos, Shared shared, List<String> exclude,
                       List<String> excludeRegex, List<Filter> filters, List<String> to, boolean fanout, boolean enabled) {
        this(name, topic, broker, qos, shared, exclude, excludeRegex, filters, List.of(), to, fanout, enabled);
    }

    /**
     * A shared subscription: {@code $share/<group>/<filter>} with {@code workers} connections.
     *
     * @param group   the share group (default {@code routemq}, or {@code MQTT_GROUP_NAME})
     * @param workers how many connections share it (default 1, or {@code WORKER_COUNT})
     */
    public record Shared(String group, int workers) {
    }

    /**
     * Whether the route runs on the thread that received the message: when none of its middleware may block (its
     * {@code filters} and {@code excludeRegex} never do), as {@link RoutePlan} plans it; otherwise each message goes to
     * a lane thread of its topic.
     *
     * @return true when it runs on the receiving thread
     */
    public boolean nonBlocking() {
        return middleware.stream().allMatch(MiddlewareConfig::nonBlocking);
    }

    /** The parsed topic pattern (validated when the config was loaded). */
    public TopicPattern pattern() {
        return TopicPattern.parse(topic);
    }

    /** The exclude patterns, parsed. */
    public List<TopicPattern> excludePatterns() {
        List<TopicPattern> out = new ArrayList<>(exclude.size());
        for (String e : exclude) out.add(TopicPattern.parse(e));
        return Collections.unmodifiableList(out);
    }

    /** The exclude regular expressions, compiled (use {@code find()}, not {@code matches()}). */
    public List<Pattern> excludeRegexPatterns() {
        List<Pattern> out = new ArrayList<>(excludeRegex.size());
        for (String e : excludeRegex) out.add(Pattern.compile(e));
        return Collections.unmodifiableList(out);
    }

    /** Where a filter's field is read from. */
    public enum FieldSource {
        /** The whole topic ({@code topic}). */
        TOPIC,
        /** A parameter of the route's pattern ({@code param.<name>}). */
        PARAM,
        /** A JSON path into the payload ({@code payload.<a.b[0].c>}). */
        PAYLOAD,
        /** An MQTT 5 user property ({@code userProperty.<name>}). */
        USER_PROPERTY
    }

    /** A filter's comparison. */
    public enum Op {
        /** Equal to the value (numbers compare by value, everything else as text). */
        EQUALS("equals"),
        /** Not equal to the value. */
        NOT_EQUALS("notEquals"),
        /** Equal to one of the values (a list). */
        IN("in"),
        /** The text matches the Java regular expression anywhere ({@code find()}). */
        MATCHES("matches"),
        /** Greater than the number. */
        GT("gt"),
        /** Greater than or equal to the number. */
        GTE("gte"),
        /** Less than the number. */
        LT("lt"),
        /** Less than or equal to the number. */
        LTE("lte"),
        /** The field is present ({@code true}) or absent ({@code false}). */
        EXISTS("exists");

        private final String key;

        Op(String key) {
            this.key = key;
        }

        /** The key as written in a config. */
        public String key() {
            return key;
        }
    }

    /**
     * One filter: {@code {field: payload.temp, gt: 30}}.
     *
     * @param field the field as written: {@code topic}, {@code param.<x>}, {@code payload.<path>} or
     *              {@code userProperty.<x>}
     * @param op    the comparison
     * @param value the operand: a String, a {@link BigDecimal} or a Boolean for equals/notEquals; a List of those for
     *              in; the regular expression (String) for matches; a BigDecimal for gt/gte/lt/lte; a Boolean for exists
     */
    public record Filter(String field, Op op, Object value) {

        /** Where the field is read from. */
        public FieldSource source() {
            if (field.equals("topic")) return FieldSource.TOPIC;
            if (field.startsWith("param.")) return FieldSource.PARAM;
            if (field.startsWith("payload.")) return FieldSource.PAYLOAD;
            return FieldSource.USER_PROPERTY;
        }

        /** The name after the prefix: the parameter, the JSON path or the user property; empty for topic. */
        public String name() {
            int dot = field.indexOf('.');
            return dot < 0 ? "" : field.substring(dot + 1);
        }
    }
}
