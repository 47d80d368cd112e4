package io.routemq.bench.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * One build of the gateway that the gateway scenarios ({@code queue}, {@code http}, {@code http-batch}) run:
 * {@code --gateway ID=CLASSPATH}, repeatable. Each gateway scenario runs once per build within every round, in the
 * order given, each as its own row labelled {@code <scenario>@<id>}; the first build is the "before" the others are
 * compared to. Without the option there is one build, {@code current}, on the bench's own class path.
 *
 * @param id        the label in the report: letters, digits, {@code .}, {@code _} and {@code -}
 * @param classPath the class path of the gateway process ({@code routemq run}), or null for the bench's own
 */
public record GatewayBuild(String id, String classPath) {
    /** The id of the default build, the bench's own class path. */
    public static final String CURRENT = "current";
    /** The class file of the gateway's main class, which a class path must hold. */
    private static final String MAIN_CLASS_FILE = "io/routemq/server/cli/RouteMqCli.class";
    /** The class file of the {@code discard: {}} sink; builds from before it have none. */
    private static final String DISCARD_SINK_FILE = "io/routemq/server/gateway/DiscardSink.class";

    /** Validates the id (it names rows and files). */
    public GatewayBuild {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,31}")) {
            throw new IllegalArgumentException("--gateway: the id '" + id + "' must be 1 to 32 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, e.g. --gateway before=/tmp/routemq-before/routemq-server/target/routemq.jar");
        }
        if (classPath != null && classPath.isBlank()) {
            throw new IllegalArgumentException("--gateway " + id + "=: give the class path of a gateway build after the '='");
        }
    }

    /** The default: one build, {@code current}, the bench's own class path. */
    public static GatewayBuild current() {
        return new GatewayBuild(CURRENT, null);
    }

    /**
     * A build from the option's text {@code ID=CLASSPATH}; every class path entry must exist and one of them must hold
     * the gateway.
     *
     * @throws IllegalArgumentException naming the option, what was wrong and what to give instead
     */
    public static GatewayBuild parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--gateway '" + text + "': write ID=CLASSPATH, e.g. --gateway before="
                    + "/tmp/routemq-before/routemq-server/target/routemq.jar (routemq-bench/build-before.sh <rev> prints that path)");
        }
        GatewayBuild build = new GatewayBuild(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
        build.check();
        return build;
    }

    /** The class path the gateway process runs with. */
    public String effectiveClassPath() {
        return classPath != null ? classPath : System.getProperty("java.class.path");
    }

    /** For the report: the id and where its classes come from. */
    public String describe() {
        return "build '" + id + "' (" + (classPath == null ? "the bench's own class path" : "class path " + classPath) + ")";
    }

    /**
     * Whether this build has the {@code discard: {}} sink type (builds before it have only HTTP sinks; the {@code queue}
     * scenario gives those a large HTTP batch instead).
     */
    public boolean hasDiscardSink() {
        for (String entry : effectiveClassPath().split(File.pathSeparator)) {
            if (!entry.isBlank() && holds(Path.of(entry), DISCARD_SINK_FILE)) return true;
        }
        return false;
    }

    private void check() {
        boolean found = false;
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--gateway " + id + "=" + classPath + ": '" + entry + "' does not exist; build it first "
                        + "(routemq-bench/build-before.sh <rev> builds a revision's gateway and prints its routemq.jar)");
            }
            found |= holds(p, MAIN_CLASS_FILE);
        }
        if (!found) {
            throw new IllegalArgumentException("--gateway " + id + "=" + classPath + ": the class path holds no RouteMQ gateway "
                    + "(the routemq-server module); give a build's routemq-server/target/routemq.jar");
        }
    }

    private static boolean holds(Path entry, String classFile) {
        if (Files.isDirectory(entry)) return Files.isRegularFile(entry.resolve(classFile));
        if (!Files.isRegularFile(entry)) return false;
        try (ZipFile zip = new ZipFile(entry.toFile())) {
            return zip.getEntry(classFile) != null;
        } catch (IOException e) {
            return false; // not a jar
        }
    }
}
