package io.routemq.server.cli;

import io.routemq.server.config.GatewayConfig;

import java.nio.file.Path;

/**
 * Starts the gateway for {@code routemq run}. The gateway runtime implements it; {@link RouteMqCli} finds the
 * implementation with {@link java.util.ServiceLoader} (a {@code META-INF/services/io.routemq.server.cli.GatewayLauncher}
 * file) unless one is passed to its constructor.
 */
public interface GatewayLauncher {

    /**
     * Runs the gateway until it is stopped (a signal, the admin API), then returns.
     *
     * @param config     the validated config
     * @param configFile the file it came from, or null for the built-in demo config
     * @return the process exit code: 0 after a clean stop
     * @throws Exception when the gateway cannot start; the CLI prints it and exits with 1
     */
    int run(GatewayConfig config, Path configFile) throws Exception;

    /**
     * Runs an application: the config's routes and the code routes of the app on the class path (docs/apps.md),
     * until it is stopped, then returns.
     *
     * @param config the validated config
     * @param index  the app's route index (not empty)
     * @param env    the environment with the app's {@code .env} under it, for the components' {@code Settings}
     * @return the process exit code: 0 after a clean stop
     * @throws Exception when the app cannot start; the CLI prints it and exits with 1
     */
    default int runApp(GatewayConfig config, io.routemq.core.annotation.RouteIndex index, java.util.Map<String, String> env) throws Exception {
        throw new UnsupportedOperationException("this runtime runs no applications");
    }

    /**
     * Runs an application as {@link #runApp} does, and reloads it in the running JVM when its sources under
     * {@code appDir/src/main/java} change ({@code routemq dev}, docs/apps.md).
     *
     * @param appDir the application's directory
     * @return the process exit code: 0 after a clean stop
     * @throws Exception when the app cannot start; the CLI prints it and exits with 1
     */
    default int devApp(GatewayConfig config, io.routemq.core.annotation.RouteIndex index, java.util.Map<String, String> env, Path appDir)
            throws Exception {
        throw new UnsupportedOperationException("this runtime has no dev mode");
    }
}
