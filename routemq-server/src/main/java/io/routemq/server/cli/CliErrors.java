package io.routemq.server.cli;

import io.routemq.queue.QueueLockedException;
import io.routemq.server.config.GatewayConfig;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failure of a command into the one line the CLI prints: the full command path ({@code routemq dlq list}),
 * then what went wrong and what to do, without Java class names.
 */
final class CliErrors {

    /** A qualified Java class name of an exception or error, with the ": " that usually follows it. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_]*?)(Exception|Error)\\b(?:: ?)?");
    private static final Pattern PID = Pattern.compile("\\bpid (\\d+)");
    private static final Pattern DIR = Pattern.compile("queue directory (.+?) is (?:in use|already)");

    private CliErrors() {
    }

    /**
     * The line for a failure.
     *
     * @param command the full command path, e.g. {@code routemq dlq list}
     * @param e       what was thrown
     * @param config  the config the command loaded, or null
     */
    static String line(String command, Throwable e, GatewayConfig config) {
        QueueLockedException locked = find(e, QueueLockedException.class);
        if (locked != null) return command + ": " + locked(command, locked, config);
        return command + ": " + describe(e);
    }

    /** The message of the failure (or of its first cause that has one), with class names turned into words. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) return withoutClassNames(m.strip());
        }
        return words(e.getClass().getSimpleName()) + " (an internal error without a message; please report it with the command you ran)";
    }

    /** Replaces {@code java.nio.file.AccessDeniedException: /x} by {@code access denied: /x}. */
    static String withoutClassNames(String message) {
        Matcher m = CLASS_NAME.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String word = words(m.group(1) + (m.group(2).equals("Error") ? "Error" : ""));
            boolean colon = m.group().contains(":");
            m.appendReplacement(sb, Matcher.quoteReplacement(word.isEmpty() ? "" : word + (colon ? ": " : "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** {@code AccessDenied} -> {@code access denied}; {@code IllegalStateException} -> {@code illegal state}. */
    private static String words(String simpleName) {
        String name = simpleName.endsWith("Exception") ? simpleName.substring(0, simpleName.length() - "Exception".length()) : simpleName;
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /** What a locked queue directory means for the command that met it. */
    private static String locked(String command, QueueLockedException e, GatewayConfig config) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // the directory the store named (what was opened, after any override), else the config's
        Matcher named = DIR.matcher(message);
        String dir = named.find() ? "the queue directory " + absolute(named.group(1))
                : config == null ? "the queue directory" : "the queue directory " + absolute(config.queue().dir().toString());
        String pid;
        if (message.contains("in this process")) {
            pid = "pid " + ProcessHandle.current().pid() + ", this process";
        } else {
            Matcher m = PID.matcher(message);
            pid = m.find() ? "pid " + m.group(1) : "pid unknown";
        }
        if (command.equals("routemq run")) {
            return "another gateway is already running with " + dir + " (" + pid + "). Stop it first, or run this one with "
                    + "its own queue directory: set queue.dir in its config (queue: { dir: ./data/queue-2 }), or run --queue-dir DIR";
        }
        return dir + " is in use by a running gateway (" + pid + "): stop the gateway before running '" + command
                + "', then try again";
    }

    private static String absolute(String dir) {
        try {
            return Path.of(dir).toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            return dir;
        }
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }
}
