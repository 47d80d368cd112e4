package com.example.sample;

import io.routemq.core.Router;
import io.routemq.core.Routes;

/** Greets every device that says hello, and forwards its readings to the 'ingest' sink. */
public final class GreetingRoutes implements Routes {
    @Override
    public void define(Router router) {
        router.on("hello/{device}", ctx -> ctx.publish("greetings/" + ctx.param("device"), "hi " + ctx.text()).join());
        router.forward("readings/{device}").to("ingest");
    }
}
