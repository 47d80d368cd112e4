package io.routemq.core.annotation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The application's route files and controllers, as the {@code routemq-processor} annotation processor found them
 * at compile time: no class path scanning at run time. It is the resource {@value #RESOURCE}, one entry a line:
 * <pre>
 * # RouteMQ route index (routemq-processor)
 * routes com.acme.fleet.FleetRoutes
 * controller com.acme.fleet.Telemetry com.acme.fleet.Telemetry_Routes
 * </pre>
 * <ul>
 *   <li>{@code routes <class>}: a concrete class implementing {@link io.routemq.core.Routes};</li>
 *   <li>{@code controller <controller class> <route file class>}: a class with {@link Topic @Topic} methods and
 *       the route file generated for it. That route file implements {@code Routes}; its one public constructor
 *       takes the controller, then one instance of each middleware class its routes name, in order of first
 *       use.</li>
 * </ul>
 * Class names are binary names ({@code Outer$Inner} for a nested class), ready for {@link ClassLoader#loadClass}.
 * Blank lines and lines starting with {@code #} are ignored, and so are lines of a kind this version does not know,
 * so that later processors may add kinds. Entries are sorted, so that a build is reproducible.
 *
 * @param routes      the route files' class names
 * @param controllers the controllers and their generated route files
 */
public record RouteIndex(List<String> routes, List<ControllerEntry> controllers) {
    /** Where the index lives in a jar or class output directory. */
    public static final String RESOURCE = "META-INF/routemq/index";

    /** An index without entries. */
    public static final RouteIndex EMPTY = new RouteIndex(List.of(), List.of());

    /**
     * A controller and the route file generated for it.
     *
     * @param controller the controller's class name
     * @param binder     the generated route file's class name
     */
    public record ControllerEntry(String controller, String binder) {
        /** Checks both names. */
        public ControllerEntry {
            checkName(controller, "controller");
            checkName(binder, "binder");
        }
    }

    /** Copies the lists; refuses duplicates. */
    public RouteIndex {
        routes = List.copyOf(routes);
        controllers = List.copyOf(controllers);
        for (String r : routes) checkName(r, "routes");
        if (new LinkedHashSet<>(routes).size() != routes.size()) throw new IllegalArgumentException("duplicate routes entry in " + routes);
        Set<String> seen = new LinkedHashSet<>();
        for (ControllerEntry c : controllers) {
            if (!seen.add(c.controller())) throw new IllegalArgumentException("controller '" + c.controller() + "' is indexed twice");
        }
    }

    /**
     * Reads every {@value #RESOURCE} the class loader sees (one per jar or class directory) and merges them in class
     * path order; an entry seen twice counts once.
     *
     * @throws UncheckedIOException  if a resource cannot be read
     * @throws IllegalStateException if a resource holds a malformed line (the message names the resource and line)
     */
    public static RouteIndex load(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        RouteIndex all = EMPTY;
        try {
            Enumeration<URL> urls = loader.getResources(RESOURCE);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                String text;
                try (InputStream in = url.openStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                all = all.merge(parse(text, url.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return all;
    }

    /**
     * Parses the text of one index.
     *
     * @param source where the text comes from, for error messages
     * @throws IllegalStateException if a line of a known kind is malformed
     */
    public static RouteIndex parse(String text, String source) {
        List<String> routes = new ArrayList<>();
        List<ControllerEntry> controllers = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "routes" -> {
                    if (f.length != 2) throw malformed(source, i, line, "routes <class>");
                    if (!routes.contains(f[1])) routes.add(f[1]);
                }
                case "controller" -> {
                    if (f.length != 3) throw malformed(source, i, line, "controller <controller class> <route file class>");
                    if (controllers.stream().noneMatch(c -> c.controller().equals(f[1]))) {
                        controllers.add(new ControllerEntry(f[1], f[2]));
                    }
                }
                default -> {
                    // a kind written by a later processor: skipped
                }
            }
        }
        return new RouteIndex(routes, controllers);
    }

    /** This index and then the entries of {@code other} that it lacks (a controller listed in both keeps this binder). */
    public RouteIndex merge(RouteIndex other) {
        if (other.routes.isEmpty() && other.controllers.isEmpty()) return this;
        List<String> r = new ArrayList<>(routes);
        for (String s : other.routes) if (!r.contains(s)) r.add(s);
        List<ControllerEntry> c = new ArrayList<>(controllers);
        for (ControllerEntry e : other.controllers) {
            if (c.stream().noneMatch(x -> x.controller().equals(e.controller()))) c.add(e);
        }
        return new RouteIndex(r, c);
    }

    /** Whether the index has no entries. */
    public boolean isEmpty() {
        return routes.isEmpty() && controllers.isEmpty();
    }

    /** The text of the index as the processor writes it: a comment line, then the entries sorted by class name. */
    public String format() {
        StringBuilder sb = new StringBuilder("# RouteMQ route index (routemq-processor); format: docs/routing.md\n");
        routes.stream().sorted().forEach(r -> sb.append("routes ").append(r).append('\n'));
        controllers.stream().sorted(Comparator.comparing(ControllerEntry::controller))
                .forEach(c -> sb.append("controller ").append(c.controller()).append(' ').append(c.binder()).append('\n'));
        return sb.toString();
    }

    private static IllegalStateException malformed(String source, int index, String line, String expected) {
        return new IllegalStateException(source + ":" + (index + 1) + ": malformed route index line '" + line
                + "'; expected '" + expected + "'");
    }

    private static void checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " class name '" + name + "' must be non-blank without spaces");
        }
    }
}
