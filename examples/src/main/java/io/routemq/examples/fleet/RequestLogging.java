package io.routemq.examples.fleet;

import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;

/** Middleware: stamps each message with the time it entered the chain, for the handlers and later middleware. */
public final class RequestLogging implements Middleware {
    @Override
    public void handle(Context ctx, Next next) throws Exception {
        ctx.attribute("receivedAtNanos", System.nanoTime());
        next.proceed(ctx);
    }
}
