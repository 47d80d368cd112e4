package io.routemq.jobs;

import io.routemq.core.Dispatcher;
import io.routemq.core.Message;
import io.routemq.core.Outcome;
import io.routemq.core.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A job dispatched from a handler is part of the message's outcome: acked only once the job is durably stored. */
class DispatchFromHandlerTest {
    @TempDir
    Path dir;

    @Test
    void theMessageIsAcknowledgedOnlyOnceTheJobIsStoredAndRejectedWhenItCannotBe() throws Exception {
        JobStore store = JobStores.open(JobsConfig.builder().dir(dir).build(), null, null);
        Jobs jobs = new Jobs(store);
        Router router = Router.create();
        router.on("alerts/{truck}", ctx -> jobs.dispatch(new TestJobs.Counting(ctx.param("truck"), 0, 0, 1)).onQueue("alerts").send(ctx));
        try (Dispatcher d = Dispatcher.builder(router.build()).build()) {
            AtomicLong storedAtAck = new AtomicLong(-1);
            CompletableFuture<Outcome> ack = new CompletableFuture<>();
            d.dispatch(Message.of("alerts/7", "{}"), o -> {
                storedAtAck.set(store.stats(List.of("alerts")).get(0).ready());
                ack.complete(o);
            });
            assertThat(ack.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANDLED);
            assertThat(storedAtAck.get()).as("the job was in the store when the ack fired").isEqualTo(1);

            store.close();   // a store that cannot take the job: the message is not acknowledged (redelivered)
            CompletableFuture<Outcome> refused = new CompletableFuture<>();
            d.dispatch(Message.of("alerts/8", "{}"), refused::complete);
            assertThat(refused.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.REJECTED);
        }
    }
}
