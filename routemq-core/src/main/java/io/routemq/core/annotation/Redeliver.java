package io.routemq.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaves a message unacknowledged when its {@link Topic @Topic} method fails (after any {@link Retry @Retry}), so
 * that the broker delivers it again, as {@code ErrorPolicy.redeliver()}. Without it a failed message is counted and
 * acknowledged.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Redeliver {
}
