package io.routemq.middleware;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.routemq.core.Dispatcher;
import io.routemq.core.Message;
import io.routemq.core.MessageProperties;
import io.routemq.core.Outcome;
import io.routemq.core.Router;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.SinkAppender;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import io.routemq.core.Handler;

/** A real Router and Dispatcher with an in-memory sink appender (sinks "ingest" and "invalid"), for the tests. */
final class Pipeline implements AutoCloseable {
    final Dispatcher dispatcher;
    final MiddlewareCounters counters = new MiddlewareCounters();
    final List<Message> handled = new CopyOnWriteArrayList<>();
    final List<Long> handledAtNanos = new CopyOnWriteArrayList<>();
    final Map<String, List<Envelope>> appended = new ConcurrentHashMap<>();

    /** @param routes defines the routes on a router, given the handler that records what it handled */
    Pipeline(BiConsumer<Router, Handler> routes) {
        Router router = Router.create();
        routes.accept(router, this::handle);
        SinkAppender sinks = new SinkAppender() {
            @Override
            public Set<String> sinks() {
                return Set.of("ingest", "invalid");
            }

            @Override
            public CompletableFuture<Void> append(List<String> names, Envelope envelope) {
                for (String n : names) appended.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).add(envelope);
                return CompletableFuture.completedFuture(null);
            }
        };
        this.dispatcher = Dispatcher.builder(router.build()).sinks(sinks).build();
    }

    void handle(io.routemq.core.Context ctx) {
        handled.add(ctx.message());
        handledAtNanos.add(System.nanoTime());
    }

    Outcome send(Message m) throws Exception {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        dispatcher.dispatch(m, f::complete);
        return f.get(30, TimeUnit.SECONDS);
    }

    Outcome send(String topic, String payload) throws Exception {
        return send(Message.of(topic, payload));
    }

    Outcome send(String topic, String payload, String property, String value) throws Exception {
        return send(message(topic, payload, property, value));
    }

    static Message message(String topic, String payload, String property, String value) {
        return Message.of(topic, payload).withProperties(MessageProperties.builder().userProperty(property, value).build());
    }

    /** Sends all at once and waits for every outcome, in order. */
    List<Outcome> sendAll(List<Message> messages) throws Exception {
        List<CompletableFuture<Outcome>> fs = new ArrayList<>();
        for (Message m : messages) {
            CompletableFuture<Outcome> f = new CompletableFuture<>();
            dispatcher.dispatch(m, f::complete);
            fs.add(f);
        }
        List<Outcome> out = new ArrayList<>();
        for (CompletableFuture<Outcome> f : fs) out.add(f.get(30, TimeUnit.SECONDS));
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Captures a logger's events at a level while the test runs. */
    static ListAppender<ILoggingEvent> capture(Class<?> type, Level level) {
        return capture(type.getName(), level);
    }

    static ListAppender<ILoggingEvent> capture(String name, Level level) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        logger.setLevel(level);
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.start();
        logger.addAppender(list);
        return list;
    }

    static void release(Class<?> type, ListAppender<ILoggingEvent> list) {
        release(type.getName(), list);
    }

    static void release(String name, ListAppender<ILoggingEvent> list) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        logger.detachAppender(list);
        logger.setLevel(null);
    }

    @Override
    public void close() throws Exception {
        dispatcher.shutdown(Duration.ofSeconds(10));
    }
}
