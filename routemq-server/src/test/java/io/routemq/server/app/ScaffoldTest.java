package io.routemq.server.app;

import io.routemq.server.cli.RouteMqCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code routemq new}: what it writes, and what it refuses. Building and testing the written app offline is
 * routemq-it's ScaffoldedAppBuildTest.
 */
class ScaffoldTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new RouteMqCli(null, null, Map.of()).execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesAMavenAppWithItsPackageAndLauncher(@TempDir Path tmp) throws Exception {
        Path app = tmp.resolve("my-app");
        Run r = run("new", app.toString(), "--package", "com.acme.fleet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("./routemq run", "./mvnw test");
        for (String f : new String[]{"pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties", ".mvn/find-jdk.sh", "routemq",
                ".env.example", "README.md", "src/main/resources/routemq.yaml",
                "src/main/java/com/acme/fleet/routes/DeviceRoutes.java", "src/main/java/com/acme/fleet/controllers/TelemetryController.java",
                "src/main/java/com/acme/fleet/middleware/RequestLogging.java", "src/main/java/com/acme/fleet/jobs/package-info.java",
                "src/test/java/com/acme/fleet/controllers/TelemetryControllerTest.java"}) {
            assertThat(app.resolve(f)).as(f).isRegularFile();
        }
        assertThat(app.resolve("routemq")).isExecutable();
        assertThat(app.resolve("mvnw")).isExecutable();
        String pom = Files.readString(app.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>my-app</artifactId>", "<groupId>com.acme.fleet</groupId>", "<artifactId>routemq-bom</artifactId>",
                "<artifactId>routemq-processor</artifactId>", "<artifactId>avaje-inject-generator</artifactId>").doesNotContain("@");
        assertThat(Files.readString(app.resolve("src/main/java/com/acme/fleet/routes/DeviceRoutes.java")))
                .startsWith("package com.acme.fleet.routes;");
        // the app's config is valid as written
        Run check = run("check", "--config", app.resolve("src/main/resources/routemq.yaml").toString());
        assertThat(check.code()).as(check.err()).isZero();
    }

    @Test
    void refusesANonEmptyDirectoryAndABadPackage(@TempDir Path tmp) throws Exception {
        Path used = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "mine");
        Run nonEmpty = run("new", used.toString());
        assertThat(nonEmpty.code()).isEqualTo(1);
        assertThat(nonEmpty.err()).isEqualTo("routemq new: " + used + " is not empty: give a new directory, or an empty one\n");
        assertThat(used.resolve("pom.xml")).doesNotExist();

        Run badPackage = run("new", tmp.resolve("x").toString(), "--package", "com.acme.2fleet");
        assertThat(badPackage.code()).isEqualTo(1);
        assertThat(badPackage.err()).startsWith("routemq new: --package 'com.acme.2fleet': '2fleet' is not a Java identifier");
        assertThat(tmp.resolve("x")).doesNotExist();

        assertThat(run("new", tmp.resolve("y").toString(), "--package", "com..acme").err()).contains("empty part");
        assertThat(run("new", tmp.resolve("z").toString(), "--package", "com.new.app").err()).contains("'new' is a Java keyword");
        assertThat(Scaffold.defaultPackage("my-app")).isEqualTo("com.example.myapp");
        assertThat(Scaffold.defaultPackage("1st")).isEqualTo("com.example.app1st");
    }
}
