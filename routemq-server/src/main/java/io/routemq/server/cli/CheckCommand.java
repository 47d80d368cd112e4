package io.routemq.server.cli;

import io.routemq.config.ConfigException;
import io.routemq.server.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code routemq check --config FILE}: validates a config and prints what it resolves to. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a config file and print the resolved brokers, routes, sinks and MQTT subscriptions.",
                "Prints every error (file:line:col key: problem (hint)) and exits with 1 when there is any."})
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    RouteMqCli root;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "the config file")
    Path config;

    @Override
    public Integer call() {
        LoadedConfig loaded;
        try {
            loaded = root.load(config, true);
        } catch (ConfigException e) {
            return root.configErrors(e);
        }
        new ConfigReport(root.out).full(loaded);
        return 0;
    }
}
