package io.routemq.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a controller: a class with {@link Topic @Topic} methods. It is optional (a class with
 * {@code @Topic} methods is a controller without it) and says to readers and injectors what the class is; the
 * annotation processor warns about a {@code @Controller} without {@code @Topic} methods.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Controller {
}
