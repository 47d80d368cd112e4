package io.routemq.core.annotation;

import io.routemq.core.Middleware;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a controller method to a topic pattern. The {@code routemq-processor} annotation processor generates, for
 * each controller {@code C}, a route file {@code C_Routes} that registers every {@code @Topic} method of {@code C}
 * on a {@link io.routemq.core.Router} and binds the method's parameters with plain code (no reflection per
 * message):
 * <pre>{@code
 * @Topic(value = "fleet/{fleetId}/trucks/{truckId}/gps", qos = 1, to = "archive")
 * void gps(@Param String truckId, GpsFix fix) { positions.save(truckId, fix); }
 * }</pre>
 * Parameters: {@link Param @Param} {@code String}, {@code int}, {@code long}, {@code double} or {@code UUID} (a
 * pattern parameter); {@code Context}; {@code Message}; at most one payload: {@code byte[]}, {@code String} (UTF-8
 * text), a Jackson {@code JsonNode}, or any other type (a record or POJO read from JSON with Jackson). A method
 * that returns a value replies with it when the message has a response topic. The method must not be private or
 * static. Mistakes are compile errors at the method.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Topic {
    /** The pattern, as for {@code router.on(pattern, handler)}: {@code sensors/{deviceId}/data}. */
    String value();

    /** The subscription QoS, 0 to 2. */
    int qos() default 0;

    /** Sinks to forward the message to once the method has returned (durably, before the acknowledgement). */
    String[] to() default {};

    /** Topics matching any of these patterns are not delivered to this method. */
    String[] exclude() default {};

    /**
     * Middleware for this route, run after the global and group middleware in the order given. The generated
     * route file takes one instance of each class in its constructor (an application gets them like controllers,
     * from its injector), so one instance serves every route of the controller that names the class.
     */
    Class<? extends Middleware>[] middleware() default {};

    /** The route's name in logs and metrics; default: its full pattern. */
    String name() default "";

    /** Receive every matching message even when a more specific route matches too. */
    boolean fanout() default false;

    /** Handle messages of one topic concurrently instead of in arrival order. */
    boolean unordered() default false;

    /**
     * The method and its middleware never block: run them on the thread that received the message instead of the
     * topic's lane thread ({@link io.routemq.core.RouteBuilder#nonBlocking()}). With {@code @Retry}, the backoff must be
     * 0.
     */
    boolean nonBlocking() default false;

    /** The session to subscribe on; default: the default session. */
    String session() default "";
}
