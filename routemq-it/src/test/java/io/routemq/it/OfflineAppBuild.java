package io.routemq.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds Maven apps offline against this checkout's RouteMQ artifacts, as a user would after {@code ./mvnw install},
 * without touching the shared local repository ({@code ~/.m2}):
 * <ol>
 *   <li>{@link #publishReactor(String...)} runs {@code ./mvnw install} on the checkout (offline when the outer build
 *       is, so an online build can fetch the jar and install plugins if the shared repository lacks them) into a temporary local
 *       repository chained in front of the real one ({@code -Dmaven.repo.local=<temp>
 *       -Dmaven.repo.local.tail=~/.m2/repository}, Maven 3.9): installs go to the temporary repository, third-party
 *       artifacts and plugins are read from the tail, which stays read-only;</li>
 *   <li>{@link #build(Path, String...)} runs an app's own {@code ./mvnw -o} (the checkout's wrapper is copied in
 *       when the app has none) against the same pair of repositories.</li>
 * </ol>
 * Use {@link #shared()}: one temporary repository per test JVM, each set of modules installed once, deleted when
 * the JVM exits. The install reuses the classes the outer build compiled (the compiler finds them up to date), so
 * it mostly packages and copies. Not thread-safe across JVMs sharing a checkout: it writes the modules' target/
 * jars, so run it from a module late in the reactor (this one), never with {@code -T}.
 * <pre>{@code
 * OfflineAppBuild maven = OfflineAppBuild.shared();
 * maven.publishReactor();                       // routemq-bom, routemq-test and what they need
 * BuildResult r = maven.build(appDir, "test");  // the app's ./mvnw -B -o test
 * r.assertSucceeded();
 * assertThat(r.tests().passed()).isPositive();
 * }</pre>
 */
public final class OfflineAppBuild {
    /** Published by every {@link #publishReactor(String...)}: what an app needs to import the BOM and test with the kit. */
    public static final List<String> BASE_MODULES = List.of("routemq-bom", "routemq-test");

    private static OfflineAppBuild shared;

    private final Path checkout;
    private final Path repository;
    private final Path tail;
    private final String version;
    private final Set<String> published = new LinkedHashSet<>();
    private Duration publishTime = Duration.ZERO;

    /**
     * A fixture over a checkout and a temporary repository.
     *
     * @param checkout   the RouteMQ checkout (its root, with {@code mvnw})
     * @param repository the temporary local repository to install into
     * @param tail       the read-only local repository behind it (third-party artifacts and plugins)
     */
    public OfflineAppBuild(Path checkout, Path repository, Path tail) {
        this.checkout = checkout.toAbsolutePath().normalize();
        this.repository = repository.toAbsolutePath().normalize();
        this.tail = tail.toAbsolutePath().normalize();
        this.version = readVersion(this.checkout.resolve("pom.xml"));
    }

    /**
     * The fixture of this test JVM: the checkout above the working directory, a fresh temporary repository
     * (deleted at exit), and the outer build's local repository as the tail.
     */
    public static synchronized OfflineAppBuild shared() {
        if (shared == null) {
            try {
                Path repo = Files.createTempDirectory("routemq-offline-repo-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(repo), "routemq-offline-repo-cleanup"));
                shared = new OfflineAppBuild(findCheckout(Path.of("").toAbsolutePath()), repo, outerRepository());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The RouteMQ version of the checkout ({@code 0.1.0-SNAPSHOT}). */
    public String version() {
        return version;
    }

    /** The checkout's root. */
    public Path checkout() {
        return checkout;
    }

    /** The temporary local repository the artifacts are installed into. */
    public Path repository() {
        return repository;
    }

    /** The read-only local repository behind it. */
    public Path tail() {
        return tail;
    }

    /** How long the installs of {@link #publishReactor(String...)} took in total. */
    public synchronized Duration publishTime() {
        return publishTime;
    }

    /**
     * Installs {@link #BASE_MODULES}, the given modules, and every module they need (with the parent pom) into the
     * temporary repository, unless an earlier call already did; tests are skipped. Modules are named by
     * artifactId and must be in the root pom's reactor (e.g. {@code "routemq-server"}).
     *
     * @return the temporary repository
     * @throws AssertionError when the install fails, with the end of its output
     */
    public synchronized Path publishReactor(String... modules) {
        Set<String> wanted = new LinkedHashSet<>(BASE_MODULES);
        wanted.addAll(List.of(modules));
        if (published.containsAll(wanted)) return repository;
        List<String> command = new ArrayList<>(List.of(checkout.resolve("mvnw").toString(), "-B", "-q", "install",
                "-Dmaven.test.skip=true", "-pl", moduleSelectors(wanted), "-am"));
        if (outerOffline()) command.add(1, "-o");
        command.addAll(repositoryArgs());
        BuildResult r = run(checkout, command, "install " + String.join(",", wanted));
        r.assertSucceeded();
        published.addAll(wanted);
        publishTime = publishTime.plus(r.took());
        return repository;
    }

    /**
     * Runs the app's Maven wrapper offline with these goals (e.g. {@code "test"}) against the temporary repository and
     * its tail. Copies the checkout's wrapper ({@code mvnw}, {@code .mvn/}) into the app first when it has none.
     * Call {@link #publishReactor(String...)} first.
     */
    public BuildResult build(Path appDir, String... goals) {
        Path app = appDir.toAbsolutePath().normalize();
        try {
            if (!Files.exists(app.resolve("mvnw"))) copyWrapper(app);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the Maven wrapper into " + app, e);
        }
        List<String> command = new ArrayList<>(List.of(app.resolve("mvnw").toString(), "-B", "-o"));
        command.addAll(List.of(goals));
        command.addAll(repositoryArgs());
        return run(app, command, String.join(" ", goals) + " in " + app.getFileName());
    }

    private List<String> repositoryArgs() {
        return List.of("-Dmaven.repo.local=" + repository, "-Dmaven.repo.local.tail=" + tail);
    }

    private BuildResult run(Path dir, List<String> command, String what) {
        long t0 = System.nanoTime();
        try {
            Path log = Files.createTempFile(repository.getParent(), "routemq-offline-build-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.remove("MAVEN_ARGS");
            env.remove("MAVEN_CONFIG");
            // short-lived Maven JVMs start faster with the C1 compiler only
            env.put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("Maven (" + what + ") did not finish within 10 minutes; its output: " + log);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new BuildResult(what, dir, p.exitValue(), output, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run Maven (" + what + ") in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while Maven (" + what + ") ran", e);
        }
    }

    private void copyWrapper(Path app) throws IOException {
        Files.createDirectories(app.resolve(".mvn/wrapper"));
        for (String f : List.of("mvnw", ".mvn/find-jdk.sh", ".mvn/wrapper/maven-wrapper.properties")) {
            Path from = checkout.resolve(f);
            if (Files.exists(from)) Files.copy(from, app.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Set<PosixFilePermission> exec = Files.getPosixFilePermissions(app.resolve("mvnw"));
        exec.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(app.resolve("mvnw"), exec);
    }

    /** Maven's {@code -pl} form of artifactIds: {@code :routemq-bom,:routemq-test}. */
    private static String moduleSelectors(Set<String> artifactIds) {
        return String.join(",", artifactIds.stream().map(a -> ":" + a).toList());
    }

    private static Path findCheckout(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.exists(dir.resolve("mvnw")) && Files.exists(pom)
                        && Files.readString(pom).contains("<artifactId>routemq-parent</artifactId>")
                        && Files.readString(pom).contains("<modules>")) {
                    return dir;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no RouteMQ checkout (a directory with mvnw and the routemq-parent pom) above " + from);
    }

    /** Whether the outer build runs offline (-o), from {@code offline=true|false} set by the pom; true when unknown. */
    private static boolean outerOffline() {
        return !System.getProperty("routemq.it.offline", "").equals("offline=false");
    }

    private static Path outerRepository() {
        String configured = System.getProperty("routemq.it.localRepository", "");
        if (!configured.isBlank() && !configured.contains("${")) return Path.of(configured);
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static String readVersion(Path pom) {
        try {
            Matcher m = Pattern.compile("<artifactId>routemq-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(pom));
            if (!m.find()) throw new IllegalStateException(pom + " has no routemq-parent version");
            return m.group(1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    /**
     * One Maven run.
     *
     * @param what     what ran, for messages
     * @param dir      where it ran
     * @param exitCode Maven's exit code
     * @param output   its output
     * @param took     how long it took
     */
    public record BuildResult(String what, Path dir, int exitCode, String output, Duration took) {

        /** @throws AssertionError when Maven failed, with the end of its output */
        public BuildResult assertSucceeded() {
            if (exitCode != 0) {
                throw new AssertionError("Maven (" + what + ") failed with exit code " + exitCode + " in " + dir + "; the end of its output:\n"
                        + tailOf(output, 80));
            }
            return this;
        }

        /** The counts of the surefire reports under {@code target/surefire-reports} of the app (all modules). */
        public TestCounts tests() {
            TestCounts total = new TestCounts(0, 0, 0, 0);
            Pattern suite = Pattern.compile("<testsuite\\b([^>]*)>");
            try (var files = Files.walk(dir)) {
                for (Path report : files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")
                        && f.getParent().getFileName().toString().equals("surefire-reports")).toList()) {
                    Matcher m = suite.matcher(Files.readString(report));
                    if (m.find()) {
                        Map<String, Integer> a = attributes(m.group(1));
                        total = total.plus(new TestCounts(a.getOrDefault("tests", 0), a.getOrDefault("failures", 0),
                                a.getOrDefault("errors", 0), a.getOrDefault("skipped", 0)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return total;
        }

        private static Map<String, Integer> attributes(String text) {
            Map<String, Integer> a = new TreeMap<>();
            Matcher m = Pattern.compile("(\\w+)=\"(\\d+)\"").matcher(text);
            while (m.find()) a.put(m.group(1), Integer.parseInt(m.group(2)));
            return a;
        }

        private static String tailOf(String text, int lines) {
            String[] all = text.split("\n");
            return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
        }
    }

    /**
     * Test counts from surefire reports.
     *
     * @param tests    tests run
     * @param failures failed assertions
     * @param errors   unexpected exceptions
     * @param skipped  skipped tests
     */
    public record TestCounts(int tests, int failures, int errors, int skipped) {
        /** Tests that ran and passed. */
        public int passed() {
            return tests - failures - errors - skipped;
        }

        TestCounts plus(TestCounts o) {
            return new TestCounts(tests + o.tests, failures + o.failures, errors + o.errors, skipped + o.skipped);
        }
    }
}
