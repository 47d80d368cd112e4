package io.routemq.server.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a new application ({@code routemq new}): a Maven project importing {@code routemq-bom}, with its wrapper,
 * a route file, a controller, a middleware, an empty jobs package, {@code routemq.yaml} (the embedded broker),
 * {@code .env.example}, a test on the testing kit, a README and its own {@code ./routemq} launcher. The templates
 * are resources under {@value #ROOT}, listed in its {@code files.txt}.
 */
public final class Scaffold {
    static final String ROOT = "routemq/scaffold/";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern ARTIFACT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
            "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
            "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw",
            "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "_", "var", "record", "yield",
            "sealed", "permits");

    private Scaffold() {
    }

    /**
     * The default package for an app directory name: {@code my-app} -> {@code com.example.myapp}.
     */
    public static String defaultPackage(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "");
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) s = "app" + s;
        if (KEYWORDS.contains(s)) s = s + "app";
        return "com.example." + s;
    }

    /** Why a package name is not usable, or null when it is. */
    public static String packageProblem(String pkg) {
        if (pkg.isEmpty()) return "it is empty";
        for (String part : pkg.split("\\.", -1)) {
            if (part.isEmpty()) return "it has an empty part (two dots, or a dot at an end)";
            if (!IDENTIFIER.matcher(part).matches()) return "'" + part + "' is not a Java identifier (letters, digits and _, not starting with a digit)";
            if (KEYWORDS.contains(part)) return "'" + part + "' is a Java keyword";
        }
        return null;
    }

    /**
     * Writes the app into {@code dir}, which must be absent or empty.
     *
     * @param dir the app directory; its name becomes the artifactId
     * @param pkg the Java package, checked with {@link #packageProblem}
     * @return the files written, relative to {@code dir}
     * @throws IllegalArgumentException when the directory is not empty, or the name or package is not usable
     */
    public static List<Path> write(Path dir, String pkg) {
        String name = dir.toAbsolutePath().normalize().getFileName() == null ? "" : dir.toAbsolutePath().normalize().getFileName().toString();
        if (!ARTIFACT.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' cannot be the app's name (its Maven artifactId): use letters, digits, '-', '_' and '.'");
        }
        String problem = packageProblem(pkg);
        if (problem != null) throw new IllegalArgumentException("--package '" + pkg + "': " + problem + "; write one such as com.acme.fleet");
        try {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " exists and is not a directory");
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(dir + " is not empty: give a new directory, or an empty one");
                    }
                }
            }
            Map<String, String> values = values(name, pkg);
            List<Path> written = new ArrayList<>();
            for (String line : resource("files.txt").split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                String[] f = l.split("\\s+");
                Path target = dir.resolve(f[1].replace("@pkg@", pkg.replace('.', '/')));
                Files.createDirectories(target.getParent());
                String text = resource(f[0]);
                if (!f[0].startsWith("wrapper/")) text = fill(text, values);
                Files.writeString(target, text, StandardCharsets.UTF_8);
                if (f.length > 2 && f[2].equals("x")) {
                    try {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } catch (UnsupportedOperationException e) {
                        target.toFile().setExecutable(true);
                    }
                }
                written.add(dir.relativize(target));
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the app into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> values(String name, String pkg) throws IOException {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("package", pkg);
        v.put("groupId", pkg);
        v.put("artifactId", name);
        v.put("name", name);
        Properties p = new Properties();
        try (InputStream in = Scaffold.class.getClassLoader().getResourceAsStream("routemq-version.properties")) {
            if (in != null) p.load(in);
        }
        v.put("routemqVersion", p.getProperty("version", "0.1.0-SNAPSHOT"));
        for (String key : p.stringPropertyNames()) if (key.endsWith("Version")) v.put(key, p.getProperty(key));
        return v;
    }

    private static String fill(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) out = out.replace("@" + e.getKey() + "@", e.getValue());
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Scaffold.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IOException("the template " + ROOT + name + " is missing from the RouteMQ build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
