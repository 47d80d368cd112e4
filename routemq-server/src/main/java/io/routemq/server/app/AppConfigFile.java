package io.routemq.server.app;

import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.LoadedConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an application's config comes from when {@code --config} is not given: {@code routemq.yaml} in the app
 * directory (the working directory), else {@code src/main/resources/routemq.yaml} there, else the
 * {@code routemq.yaml} resource on the class path (the app's jar).
 */
public final class AppConfigFile {
    /** The file and resource name. */
    public static final String NAME = "routemq.yaml";

    private AppConfigFile() {
    }

    /** The candidate files in the app directory, in order. */
    public static List<Path> candidates(Path appDir) {
        return List.of(appDir.resolve(NAME), appDir.resolve("src/main/resources").resolve(NAME));
    }

    /**
     * Loads the app's config.
     *
     * @return the loaded config, or null when there is neither a file nor a resource
     * @throws io.routemq.config.ConfigException with every problem of the config
     */
    public static LoadedConfig load(ConfigLoader loader, Path appDir, ClassLoader classLoader) {
        for (Path p : candidates(appDir)) {
            if (Files.isRegularFile(p)) return loader.loadDetailed(relative(p));
        }
        try (InputStream in = classLoader.getResourceAsStream(NAME)) {
            if (in == null) return null;
            return loader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), NAME + " (the app's resource)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resource " + NAME + ": " + e.getMessage(), e);
        }
    }

    /** The file as the user would name it from the working directory. */
    private static Path relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
    }
}
