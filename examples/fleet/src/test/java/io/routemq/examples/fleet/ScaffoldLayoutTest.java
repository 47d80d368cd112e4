package io.routemq.examples.fleet;

import io.routemq.server.app.Scaffold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This app is laid out as {@code routemq new fleet --package io.routemq.examples.fleet} writes it: every file the
 * scaffold writes is here, and the ones the fleet example did not grow are still exactly what the scaffold writes
 * today (so that a change to the scaffold, the wrapper or the JDK finder shows up here, not as a stale copy).
 */
class ScaffoldLayoutTest {
    /** The files the example grew from the scaffold's; the pom differs in its parent (README.md says why). */
    static final Set<String> GROWN = Set.of("pom.xml", "README.md", ".env.example", "src/main/resources/routemq.yaml",
            "src/main/java/io/routemq/examples/fleet/controllers/TelemetryController.java");

    @Test
    void everyScaffoldFileIsHereAndTheOnesNotGrownAreUnchanged(@TempDir Path tmp) throws Exception {
        Path app = Path.of("").toAbsolutePath();   // surefire runs in the module's directory
        List<Path> written = Scaffold.write(tmp.resolve("fleet"), "io.routemq.examples.fleet");
        assertThat(written).hasSizeGreaterThan(10);
        for (Path file : written) {
            String name = file.toString().replace('\\', '/');
            Path ours = app.resolve(file);
            assertThat(ours).as("examples/fleet/" + name + " (routemq new writes it)").isRegularFile();
            if (!GROWN.contains(name)) {
                assertThat(Files.readString(ours)).as("examples/fleet/" + name + " is what routemq new writes")
                        .isEqualTo(Files.readString(tmp.resolve("fleet").resolve(file)));
            }
        }
    }
}
