package io.routemq.examples.fleet.middleware;

import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import io.routemq.server.app.Settings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a message through only when its MQTT 5 user property {@code token} is {@code FLEET_TOKEN}; without
 * {@code FLEET_TOKEN} (the default) every message passes, and the start log says so. Not calling {@code next} is
 * how a middleware filters: the message is acknowledged and counted as filtered.
 */
@Singleton
public final class RequireToken implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(RequireToken.class);

    private final String token;

    /** {@code FLEET_TOKEN} comes from the environment or the app's .env file. */
    public RequireToken(Settings settings) {
        this.token = settings.get("FLEET_TOKEN").filter(t -> !t.isBlank()).orElse(null);
        if (token == null) {
            log.info("fleet topics: open to every client (set FLEET_TOKEN to require a user property token on them)");
        } else {
            log.info("fleet topics: a message needs the MQTT 5 user property token=FLEET_TOKEN");
        }
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        if (token == null || token.equals(ctx.userProperty("token"))) {
            next.proceed(ctx);
        } else {
            log.warn("{}: no valid token, ignored", ctx.topic());
        }
    }
}
