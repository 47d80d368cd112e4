package io.routemq.core;

/**
 * A topic pattern that cannot be registered. The message names the pattern, the 1-based character position of
 * the problem (when there is one) and what to write instead.
 */
public final class InvalidPatternException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String pattern;
    private final int position;

    InvalidPatternException(String pattern, int position, String problem) {
        super(format(pattern, position, problem));
        this.pattern = pattern;
        this.position = position;
    }

    private static String format(String pattern, int position, String problem) {
        String shown = pattern == null ? "null" : pattern.length() > 120 ? pattern.substring(0, 117) + "..." : pattern;
        return position > 0
                ? "topic pattern '" + shown + "': " + problem + " (position " + position + ")"
                : "topic pattern '" + shown + "': " + problem;
    }

    /** The pattern as it was given. */
    public String pattern() {
        return pattern;
    }

    /** The 1-based character position of the problem, or 0 when the problem concerns the whole pattern. */
    public int position() {
        return position;
    }
}
