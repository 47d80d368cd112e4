package io.routemq.config;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors and warnings of one load, so that all of them are reported at once. */
public final class Problems {
    /** The source name used for errors caused by environment variables. */
    public static final String ENVIRONMENT = "environment";

    private final String source;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** Creates a collector for the file (as the user named it). */
    public Problems(String source) {
        this.source = source;
    }

    /** The file as the user named it. */
    public String source() {
        return source;
    }

    /** Adds an error at a place in the file. */
    public void error(Node.Location at, String path, String value, String problem, String hint) {
        Node.Location l = at == null ? Node.Location.NONE : at;
        errors.add(new ConfigError(source, l.line(), l.column(), path, value == null ? null : Messages.shorten(value), problem, hint));
    }

    /** Adds an error without a value. */
    public void error(Node.Location at, String path, String problem, String hint) {
        error(at, path, null, problem, hint);
    }

    /** Adds an error caused by an environment variable. */
    public void envError(String variable, String value, String problem, String hint) {
        errors.add(new ConfigError(ENVIRONMENT, 0, 0, variable, value == null ? null : Messages.shorten(value), problem, hint));
    }

    /** Adds a warning: the config works, but probably not as meant. */
    public void warn(Node.Location at, String path, String text) {
        Node.Location l = at == null ? Node.Location.NONE : at;
        StringBuilder sb = new StringBuilder(source);
        if (l.line() > 0) sb.append(':').append(l.line()).append(':').append(l.column());
        if (path != null && !path.isEmpty()) sb.append(' ').append(path);
        warnings.add(sb.append(": ").append(text).toString());
    }

    /** Whether any error was found. */
    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The number of errors so far. */
    public int errorCount() {
        return errors.size();
    }

    /** The errors so far, in the order found. */
    public List<ConfigError> errors() {
        return List.copyOf(errors);
    }

    /** The warnings, in the order found. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Throws a {@link ConfigException} with every error, file errors in file order, then environment errors. */
    public void throwIfAny() {
        if (errors.isEmpty()) return;
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing((ConfigError e) -> e.source().equals(ENVIRONMENT) ? 1 : 0)
                .thenComparingInt(e -> e.line() == 0 ? Integer.MAX_VALUE : e.line())
                .thenComparingInt(ConfigError::column));
        throw new ConfigException(sorted);
    }
}
