package io.routemq.it;

import io.routemq.server.cli.RouteMqCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code routemq new} writes an app that builds offline against the reactor's artifacts (its BOM, routemq-processor
 * and avaje-inject as annotation processors), passes its own test on the testing kit, and whose {@code ./routemq check}
 * lists its code routes with their source.
 */
class ScaffoldedAppBuildTest {
    private static final Logger log = LoggerFactory.getLogger(ScaffoldedAppBuildTest.class);

    @Test
    void aNewAppBuildsOfflinePassesItsTestAndItsLauncherChecksIt(@TempDir Path dir) throws Exception {
        OfflineAppBuild maven = OfflineAppBuild.shared();
        maven.publishReactor("routemq-server", "routemq-processor");

        Path app = dir.resolve("fleet");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int created = new RouteMqCli(null, null, Map.of()).execute(new PrintWriter(out), new PrintWriter(err),
                "new", app.toString(), "--package", "com.acme.fleet");
        assertThat(created).as(err.toString()).isZero();
        assertThat(app.resolve("src/main/java/com/acme/fleet/jobs/package-info.java")).isRegularFile();
        assertThat(app.resolve("routemq")).isExecutable();

        String pom = Files.readString(app.resolve("pom.xml"));
        OfflineAppBuild.BuildResult result = maven.build(app, "test").assertSucceeded();
        assertThat(Files.readString(app.resolve("pom.xml"))).as("the app's pom after its build (avaje-inject's generator "
                + "adds its Maven plugin unless -AbuildPlugin=false)").isEqualTo(pom);
        OfflineAppBuild.TestCounts tests = result.tests();
        assertThat(tests.tests()).as("tests the new app ran").isEqualTo(1);
        assertThat(tests.passed()).as("tests of the new app that passed").isEqualTo(1);
        assertThat(Files.readString(app.resolve("target/classes/META-INF/routemq/index")))
                .contains("routes com.acme.fleet.routes.DeviceRoutes")
                .contains("controller com.acme.fleet.controllers.TelemetryController com.acme.fleet.controllers.TelemetryController_Routes");

        long t0 = System.nanoTime();
        Path checkLog = dir.resolve("check.log");
        ProcessBuilder pb = new ProcessBuilder(app.resolve("routemq").toString(), "check").directory(app.toFile())
                .redirectErrorStream(true).redirectOutput(checkLog.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MAVEN_ARGS", "-o -Dmaven.repo.local=" + maven.repository() + " -Dmaven.repo.local.tail=" + maven.tail());
        pb.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("./routemq check finished").isTrue();
        String check = Files.readString(checkLog, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(check).isZero();
        assertThat(check).contains("Code routes", "sensors/{deviceId}/data", "com.acme.fleet.controllers.TelemetryController#data",
                "devices/{deviceId}/status", "com.acme.fleet.routes.DeviceRoutes").doesNotContain("there are no routes");
        log.info("published in {} ms (shared), built and tested the new app in {} ms ({}), ./routemq check in {} ms",
                maven.publishTime().toMillis(), result.took().toMillis(), tests, (System.nanoTime() - t0) / 1_000_000);
    }
}
