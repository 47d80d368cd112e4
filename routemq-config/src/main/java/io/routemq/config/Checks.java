package io.routemq.config;

import io.routemq.core.InvalidPatternException;
import io.routemq.core.TopicPattern;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Validations shared by both config dialects. */
public final class Checks {
    private Checks() {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** Parses a topic pattern; reports a problem as {@code path 'pattern': problem (position n)}. */
    public static TopicPattern topic(Problems p, Node.Location at, String path, String pattern) {
        try {
            return TopicPattern.parse(pattern);
        } catch (InvalidPatternException e) {
            p.error(at, path, pattern, problemOf(e), e.position() > 0 ? "position " + e.position() : null);
            return null;
        }
    }

    /** The problem text of an InvalidPatternException without the "topic pattern '...': " prefix and the position. */
    static String problemOf(InvalidPatternException e) {
        String msg = e.getMessage();
        String pattern = e.pattern();
        String shown = pattern == null ? "null" : pattern.length() > 120 ? pattern.substring(0, 117) + "..." : pattern;
        String prefix = "topic pattern '" + shown + "': ";
        String problem = msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
        String suffix = " (position " + e.position() + ")";
        if (e.position() > 0 && problem.endsWith(suffix)) problem = problem.substring(0, problem.length() - suffix.length());
        return problem;
    }

    /** Compiles a Java regular expression; reports a problem with its index. */
    public static Pattern regex(Problems p, Node.Location at, String path, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            p.error(at, path, regex, "invalid regular expression: " + e.getDescription(),
                    e.getIndex() >= 0 ? "at character " + (e.getIndex() + 1) : null);
            return null;
        }
    }

    /** Checks a broker or sink name: letters, digits, '_', '.', '-'. */
    public static boolean name(Problems p, Node.Location at, String path, String kind, String name) {
        if (NAME.matcher(name).matches()) return true;
        p.error(at, path, "invalid " + kind + " name '" + Messages.shorten(name) + "'", "use letters, digits, '_', '.' and '-' only");
        return false;
    }

    /** Parses an http(s) url; reports a problem and returns null when it is not one. */
    public static URI httpUrl(Problems p, Node.Location at, String path, String text) {
        String shown = io.routemq.core.sink.Redaction.url(text); // the url as errors show it: without user info and query values
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            p.error(at, path, shown, "not a valid url: " + e.getReason(), "write http://host:port/path");
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            p.error(at, path, shown, scheme == null ? "the url has no scheme" : "unsupported scheme '" + scheme + "'",
                    "write http://host:port/path or https://...");
            return null;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            p.error(at, path, shown, "the url has no host", "write " + scheme + "://host:port/path");
            return null;
        }
        if (uri.getRawFragment() != null) {
            p.error(at, path, text, "the url has a #fragment, which HTTP never sends", "remove what follows '#' (write %23 for a '#' in a query)");
            return null;
        }
        return uri;
    }

    /** Checks that a file exists; returns the path (even when missing, after reporting). */
    public static Path file(Problems p, Node.Location at, String path, String text) {
        Path file;
        try {
            file = Path.of(text);
        } catch (InvalidPathException e) {
            p.error(at, path, text, "not a valid file path: " + e.getReason(), null);
            return null;
        }
        if (!Files.isRegularFile(file)) {
            p.error(at, path, text, "file not found", "relative paths are relative to the working directory "
                    + Path.of("").toAbsolutePath());
        }
        return file;
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /**
     * Checks an address to listen on: an IPv4 or IPv6 literal, or a host name. A name that does not resolve here is a
     * warning, not an error: it depends on the machine the file runs on.
     *
     * @return the address, or null when it is not one
     */
    public static String bindAddress(Problems p, Node.Location at, String path, String text) {
        if (text == null) return null;
        String hint = "use an address of this machine: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or ::1";
        boolean literal = IPV4.matcher(text).matches();
        if (literal) {
            for (String octet : text.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    p.error(at, path, text, "is not an IPv4 address (" + octet + " is over 255)", hint);
                    return null;
                }
            }
            return text;
        }
        if (text.indexOf(':') >= 0) {
            try {
                // a literal with ':' is parsed, never looked up
                java.net.InetAddress.getByName(text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text);
                return text;
            } catch (java.net.UnknownHostException e) {
                p.error(at, path, text, "is not an IPv6 address", hint);
                return null;
            }
        }
        if (!HOST.matcher(text).matches()) {
            p.error(at, path, text, "is not an address or a host name", hint);
            return null;
        }
        try {
            java.net.InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            p.warn(at, path, "'" + text + "' does not resolve on this machine: listening on it will fail here");
        }
        return text;
    }

    /**
     * Warns when a log file ({@code logging.file}) cannot be written where it is, without creating anything: at run
     * time the same check fails the start (a warning here, because {@code check} may run on another machine).
     */
    public static void logFile(Problems p, Node.Location at, String path, Path file) {
        String why = unwritableLogFile(file);
        if (why != null) {
            p.warn(at, path, "'" + file + "': cannot write the log file: " + why + "; 'routemq run' refuses to start "
                    + "(choose a writable path, or remove it to log to the console only)");
        }
    }

    /** Why a log file cannot be written (created, or appended to), or null when it can; creates nothing. */
    public static String unwritableLogFile(Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) return "it is a directory";
        if (Files.exists(abs)) {
            if (Files.isWritable(abs)) return null;
            return readOnly(abs) ? "it is on a read-only file system" : "the file is not writable";
        }
        Path dir = abs.getParent();
        while (dir != null && !Files.exists(dir)) dir = dir.getParent();
        if (dir == null) return "none of its parent directories exists";
        if (!Files.isDirectory(dir)) return dir + " is a file, not a directory";
        if (!Files.isWritable(dir)) return readOnly(dir) ? dir + " is on a read-only file system" : "the directory " + dir + " is not writable";
        return null;
    }

    private static boolean readOnly(Path p) {
        try {
            return Files.getFileStore(p).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    /** Checks a shared-subscription group name. */
    public static boolean group(String group) {
        return !group.isEmpty() && !group.contains("/") && !group.contains("+") && !group.contains("#");
    }
}
