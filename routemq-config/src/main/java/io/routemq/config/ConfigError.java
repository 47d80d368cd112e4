package io.routemq.config;

/**
 * One problem found in a config, with its place and what to do about it. {@link #toString()} renders it as
 * {@code file:line:col keyPath 'value': problem (hint)}, for example
 * {@code routemq.yaml:14:7 routes[0].to[1]: unknown sink 'archiv' (did you mean 'archive'?)}.
 *
 * @param source  the file as the user named it, or {@code environment} for an environment variable
 * @param line    1-based line, 0 when there is none (the environment, a missing file)
 * @param column  1-based column, 0 when there is none
 * @param path    the key path such as {@code routes[0].to[1]}, or the variable name; empty for the whole file
 * @param value   the offending value, shown quoted after the path, or null
 * @param problem what is wrong
 * @param hint    what to do, or null
 */
public record ConfigError(String source, int line, int column, String path, String value, String problem, String hint) {

    /** Renders the error on one line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(source);
        if (line > 0) sb.append(':').append(line).append(':').append(column);
        if (path != null && !path.isEmpty()) sb.append(' ').append(path);
        if (value != null) sb.append(" '").append(value).append('\'');
        sb.append(": ").append(problem);
        if (hint != null && !hint.isEmpty()) sb.append(" (").append(hint).append(')');
        return sb.toString();
    }
}
