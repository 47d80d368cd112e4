package com.example.sample;

import io.routemq.core.Publication;
import io.routemq.test.RouteMqTest;
import io.routemq.test.RouteMqTester;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@RouteMqTest(routes = GreetingRoutes.class)
class GreetingRoutesTest {

    @Test
    void greetsAndForwards(RouteMqTester mq) {
        mq.publish("hello/d1", "ada");
        mq.publish("readings/d1", "21.5");

        List<Publication> greetings = mq.awaitPublished("greetings/+", 1);
        assertEquals("hi ada", new String(greetings.get(0).payload(), StandardCharsets.UTF_8));
        assertEquals("d1", mq.sink("ingest").awaitReceived(1).get(0).params().get("device"));
    }
}
