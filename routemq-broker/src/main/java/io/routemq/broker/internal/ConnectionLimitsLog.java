package io.routemq.broker.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Logs, at WARN and rate-limited, the connections HiveMQ closes for exceeding a limit before or after login: a packet
 * larger than {@code broker.maxPacketSize} (a CONNECT claiming more is refused before it is buffered), and a
 * connection that sends no complete CONNECT within HiveMQ's 10 s ({@code no-connect-idle-timeout}).
 *
 * <p>HiveMQ reports these only as DEBUG events on its {@code event.client-disconnected} logger, which RouteMQ keeps
 * at WARN. A Logback turbo filter sees every logging call before the level check, so this one picks out those
 * events (never changing their fate: it always answers NEUTRAL) without turning the whole event log on. One filter
 * serves every broker of the JVM; it is removed when the last one stops.
 *
 * <p>Public only because {@code io.routemq.broker.EmbeddedBroker}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class ConnectionLimitsLog extends TurboFilter {

    private static final Logger log = LoggerFactory.getLogger("io.routemq.broker.limits");
    private static final String EVENT_LOGGER = "event.client-disconnected";
    private static final Object LOCK = new Object();
    private static ConnectionLimitsLog installed;
    private static int users;

    private final RateLimitedLog limited = new RateLimitedLog(log, 5);

    private ConnectionLimitsLog() {
    }

    /** Installs the filter (once per JVM); each call needs one {@link #release()}. No-op without Logback. */
    public static void acquire() {
        synchronized (LOCK) {
            if (users++ > 0) {
                return;
            }
            try {
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
                    installed = new ConnectionLimitsLog();
                    installed.setName("routemq-connection-limits");
                    installed.start();
                    ctx.addTurboFilter(installed);
                }
            } catch (LinkageError e) {
                // Logback not on the class path: HiveMQ's events stay where the application's backend puts them
            }
        }
    }

    /** Removes the filter when no broker needs it any more. */
    public static void release() {
        synchronized (LOCK) {
            if (users == 0 || --users > 0) {
                return;
            }
            if (installed != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
                ctx.getTurboFilterList().remove(installed);
                installed.stop();
            }
            installed = null;
        }
    }

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                              Object[] params, Throwable t) {
        if (params == null || params.length != 3 || level != Level.DEBUG || !(params[2] instanceof String reason)
                || !EVENT_LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        if (reason.contains("CONNECT exceeded the maximum permissible size")) {
            limited.warn("Refused a CONNECT from {} before login: it claims more bytes than broker.maxPacketSize"
                    + " (raise it if your clients need bigger messages)", params[1]);
        } else if (reason.contains("bigger than the maximum size")) {
            limited.warn("Closed the connection of client '{}' from {}: it sent a packet larger than"
                    + " broker.maxPacketSize (raise it if your clients need bigger messages)", params[0], params[1]);
        } else if (reason.equals("No CONNECT sent in time")) {
            limited.warn("Closed the connection from {}: no complete CONNECT within 10s", params[1]);
        }
        return FilterReply.NEUTRAL;
    }
}
