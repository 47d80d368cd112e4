package io.routemq.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.routemq.core.TestSupport.await;
import static io.routemq.core.TestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Routes on several sessions: a message is matched only against the routes of the session it arrived on. */
class SessionRoutingTest {

    private static Message on(String session, String topic) {
        return new Message(session, topic, new byte[0], 0, false, MessageProperties.NONE);
    }

    @Test
    void aMessageOnlyReachesTheRoutesOfItsSession() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Router router = Router.create();
        router.on("plant/#", ctx -> seen.add("plant:" + ctx.session())).session("plant");
        router.on("plant/#", ctx -> seen.add("cloud:" + ctx.session())).session("cloud");
        router.on("local/#", ctx -> seen.add("default:" + ctx.session()));
        try (Dispatcher d = Dispatcher.builder(router.build()).defaultSession("edge").build()) {
            assertThat(await(send(d, on("plant", "plant/a")))).isEqualTo(Outcome.HANDLED);
            assertThat(await(send(d, on("cloud", "plant/a")))).isEqualTo(Outcome.HANDLED);
            assertThat(await(send(d, on("edge", "local/x")))).isEqualTo(Outcome.HANDLED);
            assertThat(await(send(d, on("plant", "local/x")))).isEqualTo(Outcome.UNMATCHED);
            assertThat(await(send(d, on("other", "plant/a")))).isEqualTo(Outcome.UNMATCHED);
        }
        assertThat(seen).containsExactly("plant:plant", "cloud:cloud", "default:edge");
    }

    @Test
    void routesOnOneSessionMatchWhateverTheMessageSession() throws Exception {
        Router router = Router.create();
        router.on("a/#", TestSupport.NOOP);
        try (Dispatcher d = Dispatcher.builder(router.build()).build()) {
            assertThat(await(send(d, on("anything", "a/b")))).isEqualTo(Outcome.HANDLED);
        }
    }
}
