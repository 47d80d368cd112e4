package io.routemq.server.cli;

import io.routemq.server.config.ConfigException;
import io.routemq.server.config.ConfigLoader;
import io.routemq.server.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code routemq run [--config FILE]}: loads the config (the demo without one) and runs the gateway. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the gateway.",
                "Without --config it runs the demo config (config/demo.yaml, packaged as " + ConfigLoader.DEMO_RESOURCE + "):",
                "an embedded broker on 127.0.0.1:1883 and one route forwarding to",
                "http://127.0.0.1:8088/ingest."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    RouteMqCli root;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config file (YAML or JSON, or the Go middleware's JSON)")
    Path config;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded;
        try {
            loaded = root.load(config);
        } catch (ConfigException e) {
            return root.configErrors(e);
        }
        root.notes(loaded);
        if (config == null) root.err.println("routemq: no --config given, running the demo config (" + ConfigLoader.DEMO_RESOURCE + ")");
        GatewayLauncher launcher = root.launcher();
        if (launcher == null) {
            root.err.println("routemq run: the gateway runtime is not on the classpath (no " + GatewayLauncher.class.getName()
                    + " implementation); the config is valid: " + loaded.source());
            return 1;
        }
        return launcher.run(loaded.config(), config);
    }
}
