package io.routemq.processor;

import io.routemq.core.Router;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compiles Java sources in process with javac and the {@link RouteProcessor}, into a class directory that a test
 * can load classes from. The class path is routemq-core and Jackson, found from their classes (surefire's own
 * class path may be a manifest-only jar), plus the output directory itself (as a build tool passes it, so that an
 * incremental compilation sees the classes of the earlier one).
 */
final class InProcessCompiler {
    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    /** The outcome of one compilation. */
    record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path classes, Path generated) {
        List<Diagnostic<? extends JavaFileObject>> errors() {
            return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
        }

        String describe() {
            return diagnostics.stream().map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName())
                    + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
        }

        URLClassLoader loader() {
            try {
                return new URLClassLoader(new URL[] {classes.toUri().toURL()}, InProcessCompiler.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }

        String generatedSource(String binaryName) throws IOException {
            return Files.readString(generated.resolve(binaryName.replace('.', '/') + ".java"));
        }
    }

    private InProcessCompiler() {
    }

    /** Compiles the sources (class name to text) into {@code out}/classes, with generated sources in {@code out}/generated. */
    static Result compile(Path out, Map<String, String> sources) throws IOException {
        Path classes = Files.createDirectories(out.resolve("classes"));
        Path generated = Files.createDirectories(out.resolve("generated"));
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new Source(name, text)));
        String classPath = String.join(java.io.File.pathSeparator, location(Router.class), location(tools.jackson.databind.JsonNode.class),
                location(tools.jackson.core.type.TypeReference.class), location(com.fasterxml.jackson.annotation.JsonProperty.class),
                classes.toString());
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = JAVAC.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavaCompiler.CompilationTask task = JAVAC.getTask(null, files, diagnostics,
                    List.of("-classpath", classPath, "-d", classes.toString(), "-s", generated.toString(), "-proc:full",
                            "-Xlint:all,-processing,-options", "--release", "21"), null, units);
            task.setProcessors(List.of(new RouteProcessor()));
            boolean ok = task.call();
            return new Result(ok, diagnostics.getDiagnostics(), classes, generated);
        }
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    /** The 1-based line of the first line of {@code source} that contains {@code marker}. */
    static long lineOf(String source, String marker) {
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].contains(marker)) return i + 1;
        throw new AssertionError("no line holds " + marker);
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
