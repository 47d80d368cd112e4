package io.routemq.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Logging for the short commands ({@code check}, {@code routes}, {@code dlq}, {@code version}): their standard
 * output is their result, so logs go to standard error, and only warnings and errors. {@code run} configures
 * logging from the config's {@code logging:} section instead.
 */
final class CliLogging {
    private CliLogging() {
    }

    /** Sends logs to standard error at WARN and above. */
    static void quiet() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.WARN);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%level: %msg%n%nopex"); // no logger (class) names, no stack traces
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(ctx);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        root.addAppender(stderr);
    }
}
