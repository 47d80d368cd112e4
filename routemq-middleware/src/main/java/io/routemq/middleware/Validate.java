package io.routemq.middleware;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import io.routemq.core.PayloadException;
import io.routemq.core.UserProperty;
import io.routemq.core.sink.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * Lets a message through only when its payload is JSON that its JSON Schema accepts (networknt
 * json-schema-validator). An invalid message is either dropped (acknowledged, not handled: FILTERED, counted
 * {@code invalid}), or appended to a dead-letter sink with its validation errors in the user property
 * {@value #ERRORS_PROPERTY} and then acknowledged (counted {@code dead_lettered}). The acknowledgement waits until
 * the dead letter is durable; if that append fails, the middleware throws and the route's error policy decides
 * ({@code redeliver()} leaves the message unacknowledged).
 *
 * <pre>{@code
 * router.on("plant/{line}/telemetry", telemetry::record)
 *       .middleware(Validate.of(ValidateConfig.schemaFile(Path.of("schemas/telemetry.json")).deadLetterTo("invalid")));
 * }</pre>
 */
public final class Validate implements Middleware {
    /** The name in metrics and configs. */
    public static final String NAME = "validate";
    /** The user property of a dead letter that holds the validation errors, separated by "; ". */
    public static final String ERRORS_PROPERTY = "routemq-validation-errors";
    private static final Logger log = LoggerFactory.getLogger(Validate.class);

    private final ValidateConfig config;
    private final MiddlewareMetrics metrics;
    private final Schema schema;

    private Validate(ValidateConfig config, MiddlewareMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.schema = ValidateConfig.compile(config.schema(), config.schemaFile());
    }

    /** @param config the options @return the middleware, counting nothing */
    public static Validate of(ValidateConfig config) {
        return new Validate(config, MiddlewareMetrics.NONE);
    }

    /** @param config the options @param metrics where invalid messages are counted @return the middleware */
    public static Validate of(ValidateConfig config, MiddlewareMetrics metrics) {
        return new Validate(config, metrics);
    }

    /** True without a dead-letter sink; with one an invalid message waits until its dead letter is durable. */
    @Override
    public boolean nonBlocking() {
        return config.nonBlocking();
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        List<String> errors = errors(ctx);
        if (errors.isEmpty()) {
            next.proceed(ctx);
            return;
        }
        String text = String.join("; ", errors);
        if (config.deadLetter() == null) {
            metrics.record(NAME, ctx, "invalid");
            if (log.isDebugEnabled()) log.debug("route '{}': invalid payload on topic '{}' dropped: {}", ctx.route().name(), ctx.topic(), text);
            return;
        }
        Envelope e = Envelope.of(ctx);
        List<UserProperty> props = new ArrayList<>(e.userProperties());
        props.add(new UserProperty(ERRORS_PROPERTY, text));
        Envelope dead = new Envelope(e.route(), e.session(), e.topic(), e.params(), e.payload(), e.qos(), e.retain(), props,
                e.contentType(), e.receivedAtMillis());
        try {
            ctx.appendTo(config.deadLetter(), dead).get();
        } catch (ExecutionException ex) {
            throw new IllegalStateException("route '" + ctx.route().name() + "': could not append the invalid message on topic '"
                    + ctx.topic() + "' to the dead-letter sink '" + config.deadLetter() + "': " + ex.getCause(), ex.getCause());
        }
        metrics.record(NAME, ctx, "dead_lettered");
        if (log.isDebugEnabled()) log.debug("route '{}': invalid payload on topic '{}' sent to sink '{}': {}", ctx.route().name(), ctx.topic(),
                config.deadLetter(), text);
    }

    /** @return the validation errors of the message's payload, at most {@code maxErrors}; empty when valid */
    List<String> errors(Context ctx) {
        tools.jackson.databind.JsonNode node;
        try {
            node = ctx.json();
        } catch (PayloadException e) {
            return List.of("the payload is not JSON");
        }
        List<Error> found = schema.validate(node);
        List<String> out = new ArrayList<>(Math.min(found.size(), config.maxErrors()));
        for (Error err : found) {
            if (out.size() == config.maxErrors()) {
                out.add("and " + (found.size() - config.maxErrors()) + " more");
                break;
            }
            out.add(err.toString());
        }
        return out;
    }
}
