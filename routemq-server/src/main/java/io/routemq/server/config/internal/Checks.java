package io.routemq.server.config.internal;

import io.routemq.core.InvalidPatternException;
import io.routemq.core.TopicPattern;

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

    /** Checks a shared-subscription group name. */
    public static boolean group(String group) {
        return !group.isEmpty() && !group.contains("/") && !group.contains("+") && !group.contains("#");
    }
}
