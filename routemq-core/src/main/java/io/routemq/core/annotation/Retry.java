package io.routemq.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link Topic @Topic} method up to {@code attempts} times when it throws, as
 * {@code ErrorPolicy.retry(attempts, backoff)}; then the message is acknowledged as failed, or left for redelivery
 * with {@link Redeliver @Redeliver}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Retry {
    /** How many runs in all, at least 1. */
    int attempts();

    /** The pause between two runs, in milliseconds. */
    long backoffMillis() default 0;
}
