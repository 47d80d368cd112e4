package io.routemq.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logging ({@code logging:}).
 *
 * @param level    the root level: trace, debug, info, warn, error or off (default info)
 * @param format   console (human) or json (one object per line) (default console)
 * @param file     a log file (rolled by size and time), or null for the console only
 * @param maxSize  the size at which the file rolls (default 100MB)
 * @param maxAge   how long rolled files are kept (default 7d)
 * @param maxFiles how many rolled files are kept (default 10)
 * @param levels   levels per logger name, e.g. {@code io.routemq: debug}
 */
public record LoggingConfig(String level, Format format, Path file, long maxSize, Duration maxAge, int maxFiles,
                            Map<String, String> levels) {

    /** Copies the map, keeping its order. */
    public LoggingConfig {
        levels = Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }

    /** The output format. */
    public enum Format {
        /** Human-readable lines. */
        CONSOLE,
        /** One JSON object per line. */
        JSON
    }

    /** The defaults. */
    public static LoggingConfig defaults() {
        return new LoggingConfig("info", Format.CONSOLE, null, 100L << 20, Duration.ofDays(7), 10, Map.of());
    }
}
