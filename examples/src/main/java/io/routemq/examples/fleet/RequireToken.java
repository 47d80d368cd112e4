package io.routemq.examples.fleet;

import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;

import java.util.Set;

/** Middleware: lets a message through only when its MQTT 5 user property {@code token} is known. */
public final class RequireToken implements Middleware {
    private final Set<String> tokens;

    /** Accepts these tokens. */
    public RequireToken(Set<String> tokens) {
        this.tokens = Set.copyOf(tokens);
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        String token = ctx.userProperty("token");
        if (token != null && tokens.contains(token)) next.proceed(ctx);
    }
}
