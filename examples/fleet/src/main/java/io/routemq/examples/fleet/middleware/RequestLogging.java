package io.routemq.examples.fleet.middleware;

import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A middleware: runs around the handlers of the routes that use it; not calling {@code next} filters the message. */
@Singleton
public final class RequestLogging implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(RequestLogging.class);

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        long start = System.nanoTime();
        next.proceed(ctx);
        log.debug("{} handled in {} µs", ctx.topic(), (System.nanoTime() - start) / 1000);
    }
}
