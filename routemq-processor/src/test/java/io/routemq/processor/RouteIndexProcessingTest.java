package io.routemq.processor;

import io.routemq.core.Route;
import io.routemq.core.Router;
import io.routemq.core.Routes;
import io.routemq.core.annotation.RouteIndex;
import io.routemq.core.annotation.RouteIndex.ControllerEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processor writes {@code META-INF/routemq/index}: the concrete Routes classes and the controllers with their
 * route files; an application loads them through {@link RouteIndex#load}. Recompiling a subset keeps the entries of
 * the classes that were not recompiled and still exist.
 */
class RouteIndexProcessingTest {
    static final Map<String, String> APP = Map.of(
            "app.FleetRoutes", """
                    package app;
                    public final class FleetRoutes implements io.routemq.core.Routes {
                        public void define(io.routemq.core.Router r) { r.on("fleet/{id}", ctx -> { }); }
                    }
                    """,
            "app.Outer", """
                    package app;
                    import io.routemq.core.*;
                    public class Outer {
                        public static class Nested implements Routes { public void define(Router r) { } }
                        public class Inner implements Routes { public void define(Router r) { } }
                        private static class Hidden implements Routes { public void define(Router r) { } }
                        public abstract static class Base implements Routes { }
                        public static class Sub extends Base { public void define(Router r) { } }
                    }
                    """,
            "app.Telemetry", """
                    package app;
                    import io.routemq.core.annotation.*;
                    public class Telemetry {
                        @Topic(value = "fleet/{fleetId}/trucks/{truckId}/gps", qos = 1) void gps(@Param String truckId, String body) { }
                    }
                    """,
            "app.Holder", """
                    package app;
                    import io.routemq.core.annotation.*;
                    public class Holder {
                        static final class Gps { @Topic("gps/{id}") void gps(@Param int id) { } }
                    }
                    """);

    /** The application compiled once; the incremental test copies its classes. */
    @TempDir
    static Path app;
    static InProcessCompiler.Result compiled;

    @TempDir
    Path dir;

    @BeforeAll
    static void compileApp() throws Exception {
        compiled = InProcessCompiler.compile(app, APP);
        assertThat(compiled.success()).as(compiled.describe()).isTrue();
    }

    @Test
    void indexListsRoutesClassesAndControllersAndLoadsThroughTheClassLoader() throws Exception {
        InProcessCompiler.Result r = compiled;
        assertThat(Files.readString(r.classes().resolve(RouteIndex.RESOURCE))).isEqualTo("""
                # RouteMQ route index (routemq-processor); format: docs/routing.md
                routes app.FleetRoutes
                routes app.Outer$Nested
                routes app.Outer$Sub
                controller app.Holder$Gps app.Holder_Gps_Routes
                controller app.Telemetry app.Telemetry_Routes
                """);
        try (URLClassLoader loader = r.loader()) {
            RouteIndex index = RouteIndex.load(loader);
            assertThat(index.routes()).containsExactly("app.FleetRoutes", "app.Outer$Nested", "app.Outer$Sub");
            assertThat(index.controllers()).containsExactly(new ControllerEntry("app.Holder$Gps", "app.Holder_Gps_Routes"),
                    new ControllerEntry("app.Telemetry", "app.Telemetry_Routes"));
            // what an application runtime does with it: build each controller, hand it to its route file's constructor
            List<Routes> files = new ArrayList<>();
            for (String name : index.routes()) {
                files.add((Routes) loader.loadClass(name).getDeclaredConstructor().newInstance());
            }
            for (ControllerEntry c : index.controllers()) {
                var ctor = loader.loadClass(c.controller()).getDeclaredConstructor();
                ctor.setAccessible(true);   // the test stands in for the injector, which may reach package-private classes
                Object controller = ctor.newInstance();
                files.add((Routes) loader.loadClass(c.binder()).getConstructors()[0].newInstance(controller));
            }
            List<Route> routes = Router.of(files.toArray(Routes[]::new)).build().routes();
            assertThat(routes).extracting(Route::source).containsExactly(null, "app.Holder.Gps#gps", "app.Telemetry#gps");
            assertThat(routes.get(2).qos()).isEqualTo(1);
        }
    }

    @Test
    void recompilingASubsetKeepsTheOtherEntriesAndDropsVanishedClasses() throws Exception {
        copy(compiled.classes(), dir.resolve("classes"));

        // FleetRoutes no longer is a Routes class, and a new controller appears; the rest is not recompiled
        InProcessCompiler.Result second = InProcessCompiler.compile(dir, Map.of(
                "app.FleetRoutes", "package app; public final class FleetRoutes { }",
                "app.Late", """
                        package app;
                        public class Late { @io.routemq.core.annotation.Topic("late/x") void late() { } }
                        """));
        assertThat(second.success()).as(second.describe()).isTrue();
        RouteIndex index = RouteIndex.parse(Files.readString(second.classes().resolve(RouteIndex.RESOURCE)), "index");
        assertThat(index.routes()).containsExactlyInAnyOrder("app.Outer$Nested", "app.Outer$Sub");
        assertThat(index.controllers()).extracting(ControllerEntry::controller)
                .containsExactlyInAnyOrder("app.Holder$Gps", "app.Telemetry", "app.Late");

        // a class deleted since (its class file is gone) leaves the index on the next compilation
        Files.delete(dir.resolve("classes/app/Outer$Sub.class"));
        InProcessCompiler.Result third = InProcessCompiler.compile(dir, Map.of("app.Unrelated", "package app; class Unrelated { }"));
        assertThat(third.success()).as(third.describe()).isTrue();
        index = RouteIndex.parse(Files.readString(third.classes().resolve(RouteIndex.RESOURCE)), "index");
        assertThat(index.routes()).containsExactly("app.Outer$Nested");
        assertThat(index.controllers()).hasSize(3);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
    }

    @Test
    void aCompilationWithoutRoutesWritesNoIndex() throws Exception {
        InProcessCompiler.Result r = InProcessCompiler.compile(dir, Map.of("app.Plain", "package app; class Plain { }"));
        assertThat(r.success()).isTrue();
        assertThat(r.classes().resolve(RouteIndex.RESOURCE)).doesNotExist();
    }
}
