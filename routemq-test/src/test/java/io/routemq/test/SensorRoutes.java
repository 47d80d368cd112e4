package io.routemq.test;

import io.routemq.core.Router;
import io.routemq.core.Routes;

/** The routes the kit's own tests run: a handler that publishes and forwards to a sink, a replying one, a failing one. */
public final class SensorRoutes implements Routes {
    @Override
    public void define(Router router) {
        router.on("sensors/{deviceId}/data", ctx -> {
            int value = Integer.parseInt(ctx.text().trim());
            if (value > 100) ctx.publish("alerts/" + ctx.param("deviceId") + "/high", "value " + value).join();
        }).qos(1).to("ingest");
        router.on("rpc/echo", ctx -> ctx.reply("echo " + ctx.text()).join());
        router.on("boom/{id}", ctx -> {
            throw new IllegalStateException("no boom allowed for " + ctx.param("id"));
        });
    }
}
