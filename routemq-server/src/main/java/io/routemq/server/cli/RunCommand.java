package io.routemq.server.cli;

import io.routemq.core.annotation.RouteIndex;
import io.routemq.config.ConfigException;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code routemq run [--config FILE] [--admin-port N] [--queue-dir DIR]}: loads the config (the demo without one)
 * and runs the gateway. The two options set what the variables {@code ROUTEMQ_ADMIN_PORT} and
 * {@code ROUTEMQ_QUEUE_DIR} set, for any config format (the Go middleware's JSON has no key for either), and win
 * over them.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the gateway, or the application on the class path (docs/apps.md).",
                "With an application (routes found by routemq-processor), the config is --config, else routemq.yaml in",
                "the working directory, else src/main/resources/routemq.yaml, else the app's routemq.yaml resource.",
                "Without --config it runs the demo config (config/demo.yaml, packaged as " + ConfigLoader.DEMO_RESOURCE + "):",
                "an embedded broker on 127.0.0.1:1883 (a free port when 1883 is taken; the first line printed names it)",
                "and one route forwarding to http://127.0.0.1:8088/ingest."})
class RunCommand implements Callable<Integer> {

    @ParentCommand
    RouteMqCli root;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config file (YAML or JSON, or the Go middleware's JSON)")
    Path config;

    @Option(names = "--admin-port", paramLabel = "PORT",
            description = "the admin port for health and metrics (0 picks a free port); wins over admin.port and ROUTEMQ_ADMIN_PORT")
    Integer adminPort;

    @Option(names = "--queue-dir", paramLabel = "DIR",
            description = "the durable queue's directory; wins over queue.dir and ROUTEMQ_QUEUE_DIR")
    String queueDir;

    /** Whether this is {@code routemq dev}. */
    boolean dev() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        if (dev() && root.appIndex().isEmpty()) {
            root.err.println("routemq dev: no application here (no route index on the class path); run it in an app's directory "
                    + "with the app's ./routemq dev ('routemq new' writes one)");
            return 2;
        }
        if (adminPort != null && (adminPort < 0 || adminPort > 65535)) {
            root.err.println("routemq run: --admin-port " + adminPort + " is not a port number (give 0 to 65535; 0 picks a free port)");
            return 2;
        }
        if (queueDir != null && queueDir.isBlank()) {
            root.err.println("routemq run: --queue-dir is empty (give a directory, such as ./data/queue-2)");
            return 2;
        }
        // The options are the environment overrides given on the command line: one implementation applies both.
        Map<String, String> env = new HashMap<>(root.env());
        if (adminPort != null) env.put("ROUTEMQ_ADMIN_PORT", adminPort.toString());
        if (queueDir != null) env.put("ROUTEMQ_QUEUE_DIR", queueDir);
        RouteIndex app = root.appIndex();
        LoadedConfig loaded;
        try {
            ConfigLoader loader = new ConfigLoader(env);
            if (config != null) loaded = app.isEmpty() ? loader.loadDetailed(config) : RouteMqCli.forApp(loader.loadDetailed(config));
            else if (!app.isEmpty()) loaded = root.loadAppConfig(loader);
            else loaded = loader.loadDemo();
        } catch (ConfigException e) {
            return root.configErrors(e);
        }
        if (loaded == null) return root.noAppConfig("routemq run");
        root.notes(loaded);
        GatewayLauncher launcher = root.launcher();
        if (!app.isEmpty() && launcher != null) {
            return dev() ? launcher.devApp(loaded.config(), app, env, Path.of("")) : launcher.runApp(loaded.config(), app, env);
        }
        if (launcher == null) {
            root.err.println("routemq run: the gateway runtime is not on the classpath; the config is valid: " + loaded.source());
            return 1;
        }
        return launcher.run(loaded.config(), config);
    }
}
