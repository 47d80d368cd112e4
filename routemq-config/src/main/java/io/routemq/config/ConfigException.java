package io.routemq.config;

import java.util.List;

/**
 * A config that cannot be used. It carries every problem found, not just the first; the message lists them one per
 * line, each as {@code file:line:col keyPath: problem (hint)}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    /**
     * Creates the exception.
     *
     * @param errors the problems, at least one, in the order they should be shown
     */
    public ConfigException(List<ConfigError> errors) {
        super(format(errors));
        if (errors.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one error");
        this.errors = List.copyOf(errors);
    }

    private static String format(List<ConfigError> errors) {
        if (errors.size() == 1) return errors.get(0).toString();
        StringBuilder sb = new StringBuilder();
        boolean oneSource = errors.stream().map(ConfigError::source).distinct().count() == 1;
        sb.append(errors.size()).append(" errors");
        if (oneSource) sb.append(" in ").append(errors.get(0).source());
        sb.append(':');
        for (ConfigError e : errors) sb.append('\n').append("  ").append(e);
        return sb.toString();
    }

    /** Every problem found, in file order. */
    public List<ConfigError> errors() {
        return errors;
    }
}
