package io.routemq.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Maven app that imports routemq-bom and tests its routes with routemq-test builds and passes its tests offline
 * against the reactor's artifacts, and the shared local repository is left as it was.
 */
class OfflineAppBuildTest {
    private static final Logger log = LoggerFactory.getLogger(OfflineAppBuildTest.class);

    @Test
    void aSampleAppBuildsOfflineAgainstTheReactorAndItsKitTestPasses(@TempDir Path dir) throws IOException {
        OfflineAppBuild maven = OfflineAppBuild.shared();
        Path ours = maven.tail().resolve("io/routemq");
        Map<String, String> before = listing(ours);

        Path repo = maven.publishReactor();
        String v = maven.version();
        assertThat(repo.resolve("io/routemq/routemq-test/" + v + "/routemq-test-" + v + ".jar")).isRegularFile();
        assertThat(repo.resolve("io/routemq/routemq-bom/" + v + "/routemq-bom-" + v + ".pom")).isRegularFile();

        Path app = dir.resolve("sample-app");
        copySampleApp(maven, app);
        OfflineAppBuild.BuildResult result = maven.build(app, "test").assertSucceeded();
        OfflineAppBuild.TestCounts tests = result.tests();
        log.info("published the reactor's artifacts in {} ms, built and tested the sample app in {} ms: {}",
                maven.publishTime().toMillis(), result.took().toMillis(), tests);

        assertThat(tests.tests()).as("tests the sample app ran").isEqualTo(1);
        assertThat(tests.passed()).as("tests of the sample app that passed").isEqualTo(1);
        assertThat(app.resolve("target/classes/com/example/sample/GreetingRoutes.class")).isRegularFile();
        assertThat(listing(ours)).as("RouteMQ artifacts in the shared local repository " + ours).isEqualTo(before);
    }

    /** The sample app from src/test/resources, with the reactor's version and plugin versions filled in. */
    private static void copySampleApp(OfflineAppBuild maven, Path app) throws IOException {
        String rootPom = Files.readString(maven.checkout().resolve("pom.xml"));
        Map<String, String> tokens = Map.of(
                "@routemq.version@", maven.version(),
                "@resources-plugin.version@", property(rootPom, "resources-plugin.version"),
                "@compiler-plugin.version@", property(rootPom, "compiler-plugin.version"),
                "@surefire.version@", property(rootPom, "surefire.version"));
        Path template = Path.of("src/test/resources/sample-app").toAbsolutePath();
        try (Stream<Path> files = Files.walk(template)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = app.resolve(template.relativize(f).toString());
                Files.createDirectories(to.getParent());
                String text = Files.readString(f);
                for (var t : tokens.entrySet()) text = text.replace(t.getKey(), t.getValue());
                Files.writeString(to, text);
            }
        }
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        if (!m.find()) throw new IllegalStateException("the root pom has no property " + name);
        return m.group(1).trim();
    }

    /** Every file under the directory with its size and modification time; empty when it does not exist. */
    private static Map<String, String> listing(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) return files;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), Files.size(f) + " " + Files.getLastModifiedTime(f));
            }
        }
        return files;
    }

}
