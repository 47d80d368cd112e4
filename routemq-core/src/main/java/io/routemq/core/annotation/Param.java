package io.routemq.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter of a {@link Topic @Topic} method to a parameter of its pattern: {@code @Param String deviceId}
 * receives {@code {deviceId}}. Types: {@code String}, {@code int}, {@code long}, {@code double}, {@code UUID} (and
 * their boxed forms). A value that does not convert fails the message with an error naming the parameter, the
 * value and the topic; the route's error policy decides what happens next.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Param {
    /** The pattern parameter's name; default: the Java parameter's name. */
    String value() default "";
}
