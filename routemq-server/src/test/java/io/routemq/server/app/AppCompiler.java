package io.routemq.server.app;

import io.avaje.inject.generator.InjectProcessor;
import io.routemq.processor.RouteProcessor;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
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
 * Compiles a small application in process, as an app's build does: javac with routemq-processor (the route index and
 * the controllers' generated route files) and the avaje-inject generator (the wiring, which learns RouteMQ's beans
 * from {@link RouteMqInjectPlugin} through ServiceLoader on the processor class path).
 */
final class AppCompiler {
    private AppCompiler() {
    }

    /** Compiles the sources (binary class name to text) into {@code out} and returns a class loader over it. */
    static URLClassLoader compile(Path out, Map<String, String> sources) throws Exception {
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new Source(name, text)));
        String cp = String.join(File.pathSeparator, location(io.routemq.core.Router.class), location(io.avaje.inject.BeanScope.class),
                location(jakarta.inject.Singleton.class), location(Settings.class), location(io.routemq.redis.RedisConnections.class), location(io.routemq.jobs.Jobs.class),
                location(io.routemq.database.DatabasePool.class),
                location(io.lettuce.core.api.StatefulRedisConnection.class), location(AppProbe.class),
                location(tools.jackson.databind.JsonNode.class), location(tools.jackson.core.type.TypeReference.class),
                location(com.fasterxml.jackson.annotation.JsonProperty.class), location(org.jspecify.annotations.Nullable.class),
                out.toString());
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", cp, "-d", out.toString(), "-s", out.toString(), "-proc:full", "-Xlint:-options", "--release", "21"),
                    null, units);
            task.setProcessors(List.of(new RouteProcessor(), new InjectProcessor()));
            if (!task.call()) {
                throw new AssertionError("the app does not compile:\n" + diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n")));
            }
        }
        return new URLClassLoader(new URL[]{out.toUri().toURL()}, AppCompiler.class.getClassLoader());
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String binaryName, String text) {
            super(URI.create("string:///" + binaryName.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
