package io.routemq.broker.internal;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets HiveMQ CE's loggers to WARN unless the application's logging config gives them a level.
 * HiveMQ's own logging bootstrap is never run (it would reset the application's Logback config).
 * Only HiveMQ CE's packages are touched, never {@code com.hivemq.client} (the MQTT client).
 *
 * <p>Public only because {@code io.routemq.broker.EmbeddedBroker}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class QuietLogging {

    private static final String[] LOGGERS = {
            "com.hivemq.HiveMQServer", "com.hivemq.HiveMQInstance", "com.hivemq.annotations", "com.hivemq.bootstrap",
            "com.hivemq.codec", "com.hivemq.common", "com.hivemq.configuration", "com.hivemq.diagnostic",
            "com.hivemq.embedded", "com.hivemq.exceptions", "com.hivemq.extensions", "com.hivemq.lifecycle",
            "com.hivemq.limitation", "com.hivemq.logging", "com.hivemq.metrics", "com.hivemq.migration",
            "com.hivemq.mqtt", "com.hivemq.persistence", "com.hivemq.security", "com.hivemq.statistics",
            "com.hivemq.throttling", "com.hivemq.util", "com.hivemq.websocket",
            "event.client-connected", "event.client-disconnected", "event.message-dropped",
            "event.client-session-expired", "event.authentication",
            "jetbrains.exodus", "oshi", "migrations", "org.rocksdb"};

    private QuietLogging() {
    }

    /** @return whether the logger or one of its ancestors below the root has a level */
    private static boolean configured(ch.qos.logback.classic.LoggerContext ctx, String name) {
        String n = name;
        while (true) {
            ch.qos.logback.classic.Logger l = ctx.exists(n);
            if (l != null && l.getLevel() != null) {
                return true;
            }
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                return false;
            }
            n = n.substring(0, dot);
        }
    }

    /** Applies the WARN default where no level is configured. No-op when Logback is not the SLF4J backend. */
    public static void apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        try {
            if (factory instanceof ch.qos.logback.classic.LoggerContext ctx) {
                for (String name : LOGGERS) {
                    if (!configured(ctx, name)) {
                        ctx.getLogger(name).setLevel(ch.qos.logback.classic.Level.WARN);
                    }
                }
            }
        } catch (LinkageError e) {
            // Logback not on the class path: the application's backend decides
        }
    }
}
