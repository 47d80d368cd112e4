package io.routemq.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import io.routemq.server.config.LoggingConfig;
import io.routemq.config.Checks;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * Applies the {@code logging:} section to Logback: the root level and per-logger levels, console or JSON lines,
 * and optionally a file rolled by size and day with a maximum number of files and a maximum age (what the Go
 * middleware's {@code log_config} maps to). HiveMQ and Netty stay at WARN unless a level is given for them.
 *
 * <p>The console always logs; {@code logging.file} is written <em>as well</em>. A file that cannot be written fails
 * {@link #apply} with a message naming {@code logging.file} and the path, before anything is changed, so the
 * gateway never runs with its output going nowhere.
 */
public final class LoggingSetup {
    private LoggingSetup() {
    }

    /**
     * Reconfigures Logback from the config.
     *
     * @throws IllegalStateException naming {@code logging.file} and the path when the log file cannot be written;
     *                               the logging is then left as it was
     */
    public static void apply(LoggingConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        // The file first: when it cannot be opened, nothing is changed and the start fails with the reason.
        Appender<ILoggingEvent> file = config.file() == null ? null : file(ctx, config);
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.toLevel(config.level().toUpperCase(Locale.ROOT), Level.INFO));
        for (String quiet : new String[] {"com.hivemq", "io.netty", "org.jboss", "jetbrains"}) {
            if (!config.levels().containsKey(quiet)) ctx.getLogger(quiet).setLevel(Level.WARN);
        }
        for (Map.Entry<String, String> e : config.levels().entrySet()) {
            ctx.getLogger(e.getKey()).setLevel(Level.toLevel(e.getValue().toUpperCase(Locale.ROOT), Level.INFO));
        }
        root.addAppender(console(ctx, config));
        if (file != null) root.addAppender(file);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, LoggingConfig config) {
        if (config.format() == LoggingConfig.Format.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(ctx);
            json.start();
            return json;
        }
        PatternLayoutEncoder p = new PatternLayoutEncoder();
        p.setContext(ctx);
        // the SLF4J key-values after the message (the log middleware's route, topic, qos, ...), nothing when none
        p.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%replace( %kvp){'^ $', ''}%n");
        p.start();
        return p;
    }

    private static Appender<ILoggingEvent> console(LoggerContext ctx, LoggingConfig config) {
        ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
        a.setContext(ctx);
        a.setName("console");
        a.setEncoder(encoder(ctx, config));
        a.start();
        return a;
    }

    private static Appender<ILoggingEvent> file(LoggerContext ctx, LoggingConfig config) {
        String why = Checks.unwritableLogFile(config.file());
        if (why != null) throw unwritable(config, why);
        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setContext(ctx);
        a.setName("file");
        a.setFile(config.file().toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(a);
        policy.setFileNamePattern(config.file() + ".%d{yyyy-MM-dd}.%i.gz");
        policy.setMaxFileSize(new FileSize(config.maxSize()));
        policy.setMaxHistory((int) Math.max(1, config.maxAge().toDays()));
        policy.setTotalSizeCap(new FileSize(config.maxSize() * Math.max(1, config.maxFiles())));
        policy.start();
        a.setRollingPolicy(policy);
        a.setEncoder(encoder(ctx, config));
        a.start();
        if (!a.isStarted()) {
            // Logback reports why only as a status message; name it instead of running without the file.
            String reason = "the log file could not be opened";
            var statuses = ctx.getStatusManager().getCopyOfStatusList();
            for (int i = statuses.size() - 1; i >= 0; i--) {
                Status s = statuses.get(i);
                if (s.getLevel() == Status.ERROR && (s.getOrigin() == a || s.getOrigin() == policy)) {
                    reason = s.getMessage() + (s.getThrowable() != null ? ": " + s.getThrowable().getMessage() : "");
                    break;
                }
            }
            a.stop();
            throw unwritable(config, reason);
        }
        return a;
    }

    private static IllegalStateException unwritable(LoggingConfig config, String why) {
        return new IllegalStateException("logging.file '" + config.file() + "': cannot write the log file: " + why
                + " (choose a writable path, or remove logging.file to log to the console only)");
    }
}
