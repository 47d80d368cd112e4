package io.routemq.server.cli;

import io.routemq.server.app.Scaffold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code routemq new DIR [--package P]}: writes a new application. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Write a new RouteMQ application (a Maven project) into DIR, which must be new or empty:",
                "a route file, a controller, a middleware, routemq.yaml (the embedded broker), .env.example, a test,",
                "a README and its own ./routemq launcher (run, check, routes)."})
final class NewCommand implements Callable<Integer> {

    @ParentCommand
    RouteMqCli root;

    @Parameters(paramLabel = "DIR", description = "the app's directory; its name is the Maven artifactId")
    Path dir;

    @Option(names = {"-p", "--package"}, paramLabel = "PACKAGE", description = "the Java package (default: com.example.<name>)")
    String pkg;

    @Override
    public Integer call() {
        String name = dir.toAbsolutePath().normalize().getFileName() == null ? "" : dir.toAbsolutePath().normalize().getFileName().toString();
        String p = pkg != null ? pkg : Scaffold.defaultPackage(name);
        List<Path> files;
        try {
            files = Scaffold.write(dir, p);
        } catch (IllegalArgumentException e) {
            root.err.println("routemq new: " + e.getMessage());
            return 1;
        }
        root.out.println("Wrote " + files.size() + " files into " + dir + " (package " + p + "):");
        for (Path f : files) root.out.println("  " + f);
        root.out.println();
        root.out.println("Next:");
        root.out.println("  cd " + dir);
        root.out.println("  ./routemq run     # the app on the embedded MQTT broker, 127.0.0.1:1883");
        root.out.println("  ./mvnw test       # its tests");
        root.out.println("The app builds against the RouteMQ artifacts in ~/.m2: the RouteMQ checkout's ./routemq installs them before");
        root.out.println("'new'; with the jar alone, run ./mvnw install -DskipTests in the checkout first (docs/apps.md: other ways).");
        return 0;
    }
}
