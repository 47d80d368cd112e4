package io.routemq.middleware;

import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Logs a sample of the messages that pass, as structured lines (SLF4J key-values: {@code route}, {@code topic},
 * {@code session}, {@code qos}, {@code bytes}, {@code result} ({@code ok} or {@code error}), {@code millis} the rest of
 * the chain took, and {@code payload} only when asked). It never stops a message; an exception from the rest of the
 * chain is logged with {@code result=error} and passed on.
 *
 * <pre>{@code
 * router.middleware(MessageLog.of(LogConfig.defaults().withSample(0.01)));
 * }</pre>
 */
public final class MessageLog implements Middleware {
    /** The name in configs. */
    public static final String NAME = "log";

    private final LogConfig config;
    private final Logger log;
    private final Level level;

    private MessageLog(LogConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.log = LoggerFactory.getLogger(config.logger());
        this.level = Level.valueOf(config.level().name());
    }

    /** @param config the options @return the middleware */
    public static MessageLog of(LogConfig config) {
        return new MessageLog(config);
    }

    /**
     * True: a log line is handed to the logging backend on this thread, as every log call of the MQTT client's own
     * thread is. Where the log's destination can stall (a pipe nobody reads), give the backend an asynchronous
     * appender.
     */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        if (!log.isEnabledForLevel(level) || (config.sample() < 1 && ThreadLocalRandom.current().nextDouble() >= config.sample())) {
            next.proceed(ctx);
            return;
        }
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            next.proceed(ctx);
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            LoggingEventBuilder line = log.atLevel(level)
                    .addKeyValue("route", ctx.route().name())
                    .addKeyValue("topic", ctx.topic())
                    .addKeyValue("session", ctx.session())
                    .addKeyValue("qos", ctx.qos())
                    .addKeyValue("bytes", ctx.payload().length)
                    .addKeyValue("result", failure == null ? "ok" : "error")
                    .addKeyValue("millis", (System.nanoTime() - start) / 1_000_000.0);
            if (failure != null) line = line.addKeyValue("error", failure.toString());
            if (config.payload()) {
                byte[] p = ctx.payload();
                int n = Math.min(p.length, config.maxPayload());
                line = line.addKeyValue("payload", new String(p, 0, n, StandardCharsets.UTF_8) + (n < p.length ? "..." : ""));
            }
            line.log("message");
        }
    }
}
