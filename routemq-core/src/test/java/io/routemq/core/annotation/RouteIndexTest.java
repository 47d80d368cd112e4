package io.routemq.core.annotation;

import io.routemq.core.annotation.RouteIndex.ControllerEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteIndexTest {
    @TempDir
    Path dir;

    @Test
    void parsesEntriesSkipsCommentsBlankLinesAndUnknownKinds() {
        RouteIndex index = RouteIndex.parse("""
                # comment
                routes com.acme.FleetRoutes

                controller com.acme.Telemetry com.acme.Telemetry_Routes
                job com.acme.Nightly
                routes com.acme.FleetRoutes
                """, "test");
        assertThat(index.routes()).containsExactly("com.acme.FleetRoutes");
        assertThat(index.controllers()).containsExactly(new ControllerEntry("com.acme.Telemetry", "com.acme.Telemetry_Routes"));
    }

    @Test
    void malformedLineNamesTheSourceAndLine() {
        assertThatThrownBy(() -> RouteIndex.parse("routes a.B\ncontroller a.C\n", "jar:file:/app.jar!/META-INF/routemq/index"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("jar:file:/app.jar!/META-INF/routemq/index:2: malformed route index line 'controller a.C'; expected"
                        + " 'controller <controller class> <route file class>'");
        assertThatThrownBy(() -> RouteIndex.parse("routes\n", "x")).hasMessageContaining("x:1: malformed");
    }

    @Test
    void formatIsSortedAndParsesBack() {
        RouteIndex index = new RouteIndex(List.of("b.R", "a.R"), List.of(new ControllerEntry("z.C", "z.C_Routes"),
                new ControllerEntry("a.C", "a.C_Routes")));
        assertThat(index.format()).isEqualTo("""
                # RouteMQ route index (routemq-processor); format: docs/routing.md
                routes a.R
                routes b.R
                controller a.C a.C_Routes
                controller z.C z.C_Routes
                """);
        RouteIndex back = RouteIndex.parse(index.format(), "x");
        assertThat(back.routes()).containsExactly("a.R", "b.R");
        assertThat(back.controllers()).extracting(ControllerEntry::controller).containsExactly("a.C", "z.C");
    }

    @Test
    void loadMergesEveryIndexOnTheClassPathInOrder() throws Exception {
        Path one = write("one", "routes a.R\ncontroller a.C a.C_Routes\n");
        Path two = write("two", "routes b.R\nroutes a.R\ncontroller a.C other.Binder\ncontroller b.C b.C_Routes\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {one.toUri().toURL(), two.toUri().toURL()}, null)) {
            RouteIndex index = RouteIndex.load(loader);
            assertThat(index.routes()).containsExactly("a.R", "b.R");
            assertThat(index.controllers()).containsExactly(new ControllerEntry("a.C", "a.C_Routes"),
                    new ControllerEntry("b.C", "b.C_Routes"));
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThat(RouteIndex.load(empty).isEmpty()).isTrue();
        }
    }

    private Path write(String name, String text) throws Exception {
        Path root = dir.resolve(name);
        Path file = root.resolve(RouteIndex.RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return root;
    }
}
