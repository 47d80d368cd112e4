package io.routemq.server.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An application's {@code .env} file: {@code NAME=value} lines, {@code #} comments, an optional {@code export}
 * prefix, values optionally in single or double quotes. The environment wins over the file: {@link #merge} puts the
 * file's values under it. Values are taken as written ({@code ${VAR}} is substituted later, in the config only).
 */
public final class DotEnv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private DotEnv() {
    }

    /**
     * The environment over the file's values: what the environment sets wins.
     *
     * @param file the {@code .env} file; a missing file adds nothing
     * @param env  the process environment
     * @throws IllegalArgumentException naming the file and line of a malformed line
     */
    public static Map<String, String> merge(Path file, Map<String, String> env) {
        Map<String, String> merged = new LinkedHashMap<>(read(file));
        merged.putAll(env);
        return merged;
    }

    /**
     * Reads a {@code .env} file; an absent file is empty.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed line
     */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) return Map.of();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(lines, file.toString());
    }

    /** Parses the lines of a {@code .env} file; {@code source} names it in errors. */
    static Map<String, String> parse(List<String> lines, String source) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring("export ".length()).strip();
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected NAME=value, got '" + line
                        + "' (names are letters, digits and _, not starting with a digit)");
            }
            values.put(name, value(line.substring(eq + 1).strip(), source, i + 1));
        }
        return values;
    }

    private static String value(String raw, String source, int line) {
        if (raw.length() >= 1 && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            char q = raw.charAt(0);
            int end = raw.indexOf(q, 1);
            if (end < 0) throw new IllegalArgumentException(source + ":" + line + ": the value opens a " + q + " quote but does not close it");
            String inner = raw.substring(1, end);
            return q == '"' ? inner.replace("\\n", "\n") : inner;
        }
        int hash = raw.indexOf(" #");
        return (hash >= 0 ? raw.substring(0, hash) : raw).strip();
    }
}
