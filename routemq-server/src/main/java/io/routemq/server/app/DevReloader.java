package io.routemq.server.app;

import io.routemq.core.Routes;
import io.routemq.core.annotation.RouteIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code routemq dev}: reloads the application inside the running JVM when its sources change. A reload compiles the
 * app's sources with the in-process javac (the annotation processors on the processor path: the route index, the
 * controllers' generated route files, the avaje-inject wiring) into a fresh directory, loads them in a new child class
 * loader, rebuilds the components, route files and controllers ({@link App#reload}: the publisher, Redis and the
 * database pool are kept), and hands the new route files to the {@link Target}, which swaps them into the running
 * dispatcher. A compile error or a failing constructor is logged with its place and the old code keeps running.
 *
 * <p>Every reload compiles all of the app's sources (an app is small, and the route index is written from one
 * compilation); only the classes are new, the sessions, sinks and queue are the running ones.
 */
public final class DevReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DevReloader.class);
    /** The processors an app is built with (the scaffold's pom): the route index and generated route files, the wiring. */
    private static final String DEFAULT_PROCESSORS = "io.routemq.processor.RouteProcessor,io.avaje.inject.generator.InjectProcessor";

    /** Where the new route files go: the running gateway's route swap. */
    @FunctionalInterface
    public interface Target {
        /**
         * Puts the new route files in force.
         *
         * @throws Exception when they cannot be (a bad route); the old ones must then stay in force
         */
        void swap(List<Routes> routeFiles) throws Exception;
    }

    /**
     * The outcome of one reload.
     *
     * @param ok     whether the new code is in force
     * @param millis how long it took, compile included
     * @param error  what went wrong (compile errors as {@code file:line: message}), or null
     */
    public record Result(boolean ok, long millis, String error) {
    }

    private final Path sources;
    private final List<Path> classPath;
    private final List<Path> processorPath;
    private final List<Path> shadowed;
    private final Path work;
    private final ClassLoader parent;
    private final Target target;
    private App current;
    private int generation;
    private volatile WatchService watcher;
    private Thread thread;

    /**
     * @param sources       the app's source root ({@code src/main/java})
     * @param classPath     the class path to compile against (the app's dependencies)
     * @param processorPath where the annotation processors are (routemq-processor, avaje-inject-generator), all of them
     *                      run; empty: those two from the class path
     * @param shadowed      the app's original output directories ({@code target/classes}): hidden behind the new classes
     * @param work          a directory for the compiled generations
     * @param parent        the parent of the new class loaders (the one that sees RouteMQ and the dependencies)
     * @param running       the app now running; closed (its components) once replaced
     * @param target        puts new route files in force
     */
    public DevReloader(Path sources, List<Path> classPath, List<Path> processorPath, List<Path> shadowed, Path work,
                       ClassLoader parent, App running, Target target) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.shadowed = List.copyOf(shadowed);
        List<Path> norm = shadowed.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.classPath = classPath.stream().filter(p -> !norm.contains(p.toAbsolutePath().normalize())).toList();
        this.processorPath = List.copyOf(processorPath);
        this.work = Objects.requireNonNull(work, "work");
        this.parent = parent;
        this.current = Objects.requireNonNull(running, "running");
        this.target = Objects.requireNonNull(target, "target");
    }

    /** The app now in force. */
    public synchronized App current() {
        return current;
    }

    /** Compiles, loads and swaps in the app's sources now. Never throws for a bad app: see {@link Result#error}. */
    public synchronized Result reloadNow() {
        long t0 = System.nanoTime();
        Path out = work.resolve("gen-" + (++generation));
        String errors;
        try {
            errors = compile(out);
        } catch (IOException | RuntimeException e) {
            errors = "cannot compile: " + e;
            log.debug("reload: the compiler failed", e);
        }
        if (errors != null) {
            log.error("reload: the app does not compile; the old code keeps running:\n{}", errors);
            return new Result(false, millis(t0), errors);
        }
        App next;
        try {
            DevClassLoader loader = new DevClassLoader(out, shadowed, parent);
            next = current.reload(loader, RouteIndex.load(loader));
        } catch (IOException | RuntimeException e) {
            log.error("reload: the app's new classes cannot be built; the old code keeps running: {}", e.getMessage());
            return new Result(false, millis(t0), String.valueOf(e.getMessage()));
        }
        try {
            target.swap(next.routeFiles());
        } catch (Exception e) {
            next.closeComponents();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            log.error("reload: the new routes cannot be put in force; the old code keeps running: {}", e.getMessage());
            return new Result(false, millis(t0), String.valueOf(e.getMessage()));
        }
        App old = current;
        current = next;
        old.closeComponents();
        long ms = millis(t0);
        log.info("reloaded the app in {} ms ({} route file(s) and controller(s))", ms, next.routes().size());
        return new Result(true, ms, null);
    }

    /** The compile errors as {@code file:line: message} lines, or null when it compiled. */
    private String compile(Path out) throws IOException {
        Files.createDirectories(out);
        List<Path> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) return "no Java compiler in this runtime (run routemq dev on a JDK, not a JRE)";
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = new ArrayList<>(List.of("-classpath", join(classPath), "-d", out.toString(), "-s", out.toString(),
                    "-proc:full", "-parameters", "-Xlint:-options", "-implicit:none"));
            if (!processorPath.isEmpty()) options.addAll(List.of("-processorpath", join(processorPath)));
            else options.addAll(List.of("-processor", DEFAULT_PROCESSORS)); // from the class path: only the two the scaffold's pom runs
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            if (ok) return null;
        }
        List<String> lines = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) continue;
            String where = d.getSource() == null ? "" : sources.relativize(Path.of(d.getSource().toUri())) + ":" + d.getLineNumber() + ": ";
            lines.add(where + d.getMessage(Locale.ROOT));
        }
        return lines.isEmpty() ? "the compiler failed without an error message" : String.join("\n", lines);
    }

    /** Watches the sources on a daemon thread and reloads after each burst of changes (300 ms quiet). */
    public synchronized void start() throws IOException {
        WatchService w = FileSystems.getDefault().newWatchService();
        register(w, sources);
        watcher = w;
        thread = Thread.ofPlatform().daemon().name("routemq-dev-watch").start(() -> watch(w));
        log.info("dev mode: watching {} for changes", sources);
    }

    private void watch(WatchService w) {
        try {
            while (true) {
                WatchKey key = w.take();
                boolean changed = drain(w, key);
                WatchKey more;
                while ((more = w.poll(300, TimeUnit.MILLISECONDS)) != null) changed |= drain(w, more);
                if (changed) reloadNow();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private boolean drain(WatchService w, WatchKey key) {
        boolean changed = false;
        Path dir = (Path) key.watchable();
        for (var event : key.pollEvents()) {
            if (!(event.context() instanceof Path name)) {
                changed = true;
                continue;
            }
            Path p = dir.resolve(name);
            if (Files.isDirectory(p)) {
                try {
                    register(w, p);
                } catch (IOException e) {
                    log.warn("dev mode: cannot watch {}: {}", p, e.toString());
                }
            }
            changed |= Files.isDirectory(p) || name.toString().endsWith(".java");
        }
        key.reset();
        return changed;
    }

    private static void register(WatchService w, Path root) throws IOException {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(w, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    /** Stops watching (the app in force is the caller's to close: {@link #current()}). */
    @Override
    public synchronized void close() {
        WatchService w = watcher;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                log.debug("closing the watcher: {}", e.toString());
            }
        }
        if (thread != null) thread.interrupt();
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    private static long millis(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
