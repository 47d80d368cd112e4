package io.routemq.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Receives a {@link Topic @Topic} method's messages through a shared subscription {@code $share/<group>/<filter>}
 * with {@code workers} subscriber connections, as {@code RouteBuilder.shared(group, workers)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Shared {
    /** The share group: non-empty, without {@code /}, {@code +} or {@code #}. */
    String value();

    /** How many subscriber connections, at least 1. */
    int workers() default 1;
}
