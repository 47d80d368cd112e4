package io.routemq.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations ({@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}, {@code 1d}, combined as in
 * {@code 1m30s}) and sizes ({@code 512B}, {@code 64KB}, {@code 10MB}, {@code 1GB}, {@code 1TB}; binary units, 1KB =
 * 1024 bytes; KiB style is accepted too).
 */
public final class Values {
    private Values() {
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?");

    /** The hint shown for a bad duration. */
    public static final String DURATION_HINT = "write a duration like 500ms, 1s, 2m, 1h, 1d or 1m30s";
    /** The hint shown for a bad size. */
    public static final String SIZE_HINT = "write a size like 512KB, 10MB or 1GB (1KB = 1024 bytes)";

    /** Parses a duration, or returns null when the text is not one. */
    public static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) return null;
        Matcher m = DURATION_PART.matcher(t);
        int pos = 0;
        Duration total = Duration.ZERO;
        try {
            while (pos < t.length()) {
                if (!m.find(pos) || m.start() != pos) return null;
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                total = total.plus(d);
                pos = m.end();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        return total;
    }

    /** Parses a size in bytes, or returns -1 when the text is not one (or too large). */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return -1;
        String unit = m.group(2);
        if (unit == null) return -1; // a bare number is ambiguous: ask for a unit
        int shift = switch (unit) {
            case "b" -> 0;
            case "kb", "kib" -> 10;
            case "mb", "mib" -> 20;
            case "gb", "gib" -> 30;
            default -> 40;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) return -1;
            return n << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Prints a duration the way a config would write it. */
    public static String formatDuration(Duration d) {
        if (d == null) return "-";
        long ms = d.toMillis();
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                sb.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return sb.toString();
    }

    /** Prints a size the way a config would write it. */
    public static String formatSize(long bytes) {
        String[] names = {"TB", "GB", "MB", "KB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < names.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) return (bytes / unit) + names[i];
        }
        return bytes + "B";
    }
}
